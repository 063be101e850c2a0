-- bench/schedules.lua -- wrk script for bench/schedules: sustained attendance traffic.
--
-- Each request is PUT (70 %) or DELETE (30 %) /api/v1/schedules/<id>/attendance for a
-- random schedule of BENCH_FIRST .. BENCH_FIRST + BENCH_COUNT - 1 by a random member
-- whose "Bearer ..." token is a line of the file BENCH_TOKENS.  The mix keeps seats
-- moving (cancels promote the waitlist) instead of filling every schedule once.  With
-- BENCH_HOT=n > 0, 80 % of the requests go to the first n schedules (a popular meetup).

local tokens = {}
local first, count, hot

function init(args)
	local f = assert(io.open(os.getenv("BENCH_TOKENS")))
	for line in f:lines() do
		tokens[#tokens + 1] = line
	end
	f:close()
	first = tonumber(os.getenv("BENCH_FIRST"))
	count = tonumber(os.getenv("BENCH_COUNT"))
	hot = tonumber(os.getenv("BENCH_HOT") or "0")
	-- Every thread its own sequence.
	math.randomseed(os.time() * 1000 + tonumber(tostring(tokens):match("0x(%x+)") or "1", 16) % 1000)
end

function request()
	local sid = first + math.random(0, count - 1)
	if hot > 0 and math.random() < 0.8 then
		sid = first + math.random(0, hot - 1)
	end
	local method = math.random() < 0.7 and "PUT" or "DELETE"
	return wrk.format(method, "/api/v1/schedules/" .. sid .. "/attendance",
		{ ["Authorization"] = tokens[math.random(#tokens)] })
end
