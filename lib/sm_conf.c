/*
 * sm_conf.c -- the INI configuration file (see sm_conf.h).
 *
 * The file is small and read once at start, so entries are kept in a plain
 * array and looked up linearly; the environment is consulted on every lookup
 * so a value set after load still wins.
 */
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *section;
	char *key;
	char *value;
};

struct sm_conf {
	struct entry *entries;
	size_t n, cap;
};

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void
add(struct sm_conf *conf, const char *section, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < conf->n; i++) {
		struct entry *e = &conf->entries[i];

		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0) {
			free(e->value);
			e->value = sm_xstrdup(value);
			return;
		}
	}
	if (conf->n == conf->cap) {
		conf->cap = conf->cap ? conf->cap * 2 : 32;
		conf->entries = sm_xrealloc(conf->entries, conf->cap * sizeof(*conf->entries));
	}
	conf->entries[conf->n].section = sm_xstrdup(section);
	conf->entries[conf->n].key = sm_xstrdup(key);
	conf->entries[conf->n].value = sm_xstrdup(value);
	conf->n++;
}

struct sm_conf *
sm_conf_parse(const char *text)
{
	struct sm_conf *conf = sm_xcalloc(1, sizeof(*conf));
	char *copy = sm_xstrdup(text), *line, *save = NULL;
	char section[128] = "";
	int lineno = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s = trim(line), *eq, *comment;

		lineno++;
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (end == NULL || end - s - 1 >= (long)sizeof(section)) {
				sm_log(SM_LOG_ERROR, "config line %d: bad section header \"%s\"", lineno, s);
				goto fail;
			}
			*end = '\0';
			snprintf(section, sizeof(section), "%s", trim(s + 1));
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			sm_log(SM_LOG_ERROR, "config line %d: expected \"key = value\"", lineno);
			goto fail;
		}
		*eq = '\0';
		/* A comment after a value needs whitespace before it. */
		for (comment = eq + 1; (comment = strpbrk(comment, ";#")) != NULL; comment++)
			if (isspace((unsigned char)comment[-1])) {
				*comment = '\0';
				break;
			}
		add(conf, section, trim(s), trim(eq + 1));
	}
	free(copy);
	return conf;
fail:
	free(copy);
	sm_conf_free(conf);
	return NULL;
}

struct sm_conf *
sm_conf_load(const char *path)
{
	struct sm_conf *conf;
	char *text;
	FILE *f;
	long size;

	if (path == NULL)
		return sm_conf_parse("");
	if ((f = fopen(path, "r")) == NULL) {
		sm_log(SM_LOG_ERROR, "fopen(\"%s\") failed: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > 1 << 20 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		sm_log(SM_LOG_ERROR, "config \"%s\": unreadable or larger than 1 MiB", path);
		fclose(f);
		return NULL;
	}
	text = sm_xmalloc((size_t)size + 1);
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		sm_log(SM_LOG_ERROR, "fread(\"%s\") failed", path);
		fclose(f);
		free(text);
		return NULL;
	}
	text[size] = '\0';
	fclose(f);
	conf = sm_conf_parse(text);
	free(text);
	if (conf == NULL)
		sm_log(SM_LOG_ERROR, "config \"%s\" has errors", path);
	return conf;
}

void
sm_conf_free(struct sm_conf *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->n; i++) {
		free(conf->entries[i].section);
		free(conf->entries[i].key);
		free(conf->entries[i].value);
	}
	free(conf->entries);
	free(conf);
}

static const char *
env_override(const char *section, const char *key)
{
	char name[256];
	int n = snprintf(name, sizeof(name), "SOMOIM_%s_%s", section, key);
	char *p;

	if (n < 0 || (size_t)n >= sizeof(name))
		return NULL;
	for (p = name; *p; p++)
		*p = (*p == '.' || *p == '-') ? '_' : (char)toupper((unsigned char)*p);
	return getenv(name);
}

const char *
sm_conf_get(const struct sm_conf *conf, const char *section, const char *key,
    const char *def)
{
	const char *env = env_override(section, key);
	size_t i;

	if (env != NULL)
		return env;
	for (i = 0; conf != NULL && i < conf->n; i++)
		if (strcmp(conf->entries[i].section, section) == 0 &&
		    strcmp(conf->entries[i].key, key) == 0)
			return conf->entries[i].value;
	return def;
}

int
sm_conf_int(const struct sm_conf *conf, const char *section, const char *key,
    long long def, long long min, long long max, long long *out)
{
	const char *s = sm_conf_get(conf, section, key, NULL);
	char *end;
	long long v;

	if (s == NULL || *s == '\0') {
		*out = def;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max) {
		sm_log(SM_LOG_ERROR, "config [%s] %s = \"%s\": expected an integer in %lld..%lld",
		    section, key, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}
