/*
 * mongo-colls.c -- a test's look into the document store over the wire
 * protocol: prints "db.coll" for every collection whose name begins with
 * PREFIX in every database whose name begins with DBPREFIX, one a line
 * (none: nothing), so a test sees what really is there rather than what the
 * service answers.  Exit 0, or 1 when the server cannot be asked.
 *
 *   mongo-colls MONGO_URI DBPREFIX PREFIX
 */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	mongoc_client_t *client;
	bson_error_t err;
	char **dbs, **names;
	size_t dlen, plen, d, i;

	if (argc != 4) {
		fprintf(stderr, "usage: mongo-colls MONGO_URI DBPREFIX PREFIX\n");
		return 2;
	}
	mongoc_init();
	if ((client = mongoc_client_new(argv[1])) == NULL) {
		fprintf(stderr, "mongo-colls: bad URI\n");
		return 1;
	}
	if ((dbs = mongoc_client_get_database_names_with_opts(client, NULL, &err)) == NULL) {
		fprintf(stderr, "mongo-colls: %s\n", err.message);
		return 1;
	}
	dlen = strlen(argv[2]);
	plen = strlen(argv[3]);
	for (d = 0; dbs[d] != NULL; d++) {
		mongoc_database_t *db;

		if (strncmp(dbs[d], argv[2], dlen) != 0)
			continue;
		db = mongoc_client_get_database(client, dbs[d]);
		if ((names = mongoc_database_get_collection_names_with_opts(db, NULL, &err)) == NULL) {
			fprintf(stderr, "mongo-colls: %s: %s\n", dbs[d], err.message);
			return 1;
		}
		for (i = 0; names[i] != NULL; i++)
			if (strncmp(names[i], argv[3], plen) == 0)
				printf("%s.%s\n", dbs[d], names[i]);
		bson_strfreev(names);
		mongoc_database_destroy(db);
	}
	bson_strfreev(dbs);
	mongoc_client_destroy(client);
	mongoc_cleanup();
	return 0;
}
