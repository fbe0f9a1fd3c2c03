/*
 * bench/alternating-reads.c - the floor of reads spread over several servers, without soup.
 *
 * Runs the same single-row reads as bench/readers' script through plain libpq, one statement
 * at a time, turning to the next connection after each (one connection: no turning), and prints
 * the rows. bench/readers times it as it times soup and compares the ratios: what a sequential
 * client pays for alternating between server processes is not routing's cost.
 *
 * Usage: alternating-reads READS CONNINFO...
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: alternating-reads READS CONNINFO...\n");
        return 2;
    }
    int reads = atoi(argv[1]);
    int count = argc - 2;
    PGconn **connections = calloc((size_t)count, sizeof *connections);
    for (int i = 0; i < count; i++) {
        connections[i] = PQconnectdb(argv[i + 2]);
        if (PQstatus(connections[i]) != CONNECTION_OK) {
            fprintf(stderr, "alternating-reads: %s", PQerrorMessage(connections[i]));
            return 1;
        }
    }
    char sql[128];
    for (int i = 1; i <= reads; i++) {
        PGconn *connection = connections[i % count];
        snprintf(sql, sizeof sql, "SELECT name, inet_server_port() AS port FROM items WHERE id = %d", i);
        PGresult *result = PQexecParams(connection, sql, 0, NULL, NULL, NULL, NULL, 0);
        if (PQresultStatus(result) != PGRES_TUPLES_OK) {
            fprintf(stderr, "alternating-reads: %s", PQerrorMessage(connection));
            return 1;
        }
        printf("%s\t%s\n", PQgetvalue(result, 0, 0), PQgetvalue(result, 0, 1));
        PQclear(result);
    }
    for (int i = 0; i < count; i++) PQfinish(connections[i]);
    free(connections);
    return 0;
}
