/*
 * sm_conf.h -- the configuration file every program reads (somoim.conf).
 *
 * INI style: "[section]" headers, "key = value" lines, ';' or '#' comments.
 * It replaces the seed's Spring Config Server.  Any key can be overridden by
 * the environment variable SOMOIM_<SECTION>_<KEY> (upper case, '.' and '-'
 * become '_'), which is how tests and operators change one setting without
 * editing the file.  Secrets live only in the generated file, never in the tree.
 */
#ifndef SM_CONF_H
#define SM_CONF_H

struct sm_conf;

/* Returns a new configuration or NULL (logged).  path NULL gives an empty one. */
struct sm_conf *sm_conf_load(const char *path);
struct sm_conf *sm_conf_parse(const char *text);   /* for tests; NULL on syntax error */
void sm_conf_free(struct sm_conf *conf);

/* The value (environment first), or def.  Valid until sm_conf_free(). */
const char *sm_conf_get(const struct sm_conf *conf, const char *section,
    const char *key, const char *def);

/* An integer in [min, max]; def when unset; -1 and a log line when malformed. */
int sm_conf_int(const struct sm_conf *conf, const char *section, const char *key,
    long long def, long long min, long long max, long long *out);

#endif
