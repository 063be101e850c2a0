-- bench/search.lua -- wrk script for bench/search's "varied" row: every request a different
-- common query, so the workers' caches (fcgi-apps/community/search_cache.c, 256 entries
-- each) answer almost none of them and Groonga scores every hit each time.
--
-- The queries are an interest word with one more word found in thousands of the seeded
-- descriptions or regions: 12 x 30 = 360 of them, more than a worker's cache holds,
-- taken in a random order per thread.

local words = { "등산", "독서", "러닝", "캠핑", "보드게임", "와인", "영어회화", "클라이밍",
	"맛집탐방", "사진", "밴드", "댄스" }
local others = { "서울", "강남구", "마포구", "부산", "해운대구", "경기", "성남시", "대구", "수성구",
	"인천", "연수구", "함께", "즐겁게", "활동할", "찾습니다", "초보도", "환영합니다", "매주",
	"토요일", "아침에", "만나요", "뒤풀이는", "자유입니다", "회비는", "없습니다", "좋아하는",
	"사람들의", "모임입니다", "enjoy", "together" }
local paths = {}

local function escape(s)
	return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
	for _, w in ipairs(words) do
		for _, o in ipairs(others) do
			paths[#paths + 1] = "/api/v1/communities?q=" .. escape(w .. " " .. o)
		end
	end
	math.randomseed(os.time() + tonumber(tostring(paths):match("0x(%x+)") or "1", 16) % 1000)
end

function request()
	return wrk.format("GET", paths[math.random(#paths)])
end
