// libpq, loaded on first use.
//
// libpq pulls in libssl, libcrypto, Kerberos and LDAP; linking it would make every run, even a
// SQLite-only one, pay for loading and relocating all of them. So soup opens libpq with dlopen
// when the first PostgreSQL connection is made (or on a background thread as the process starts,
// when the command line names a PostgreSQL URL: see CLibPQ.c), and calls it through these
// soup_PQ... wrappers, which take the same arguments as the PQ... functions they are named
// after. libpq-fe.h is included for its types and constants only.

#ifndef SOUP_CLIBPQ_H
#define SOUP_CLIBPQ_H

#include <libpq-fe.h>

/// The shared library soup opens; the unversioned "libpq.so" is tried next.
#define SOUP_LIBPQ_NAME "libpq.so.5"

/// Loads libpq and looks up every function the wrappers call; later calls return at once.
/// Thread-safe. Returns NULL on success, or why libpq could not be loaded (dlerror's text).
/// The wrappers below must only be called after this succeeded.
const char *soup_libpq_load(void);

// PG_DIAG_* are char-literal macros that Swift does not import.
static const int SOUP_PG_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int SOUP_PG_DIAG_SEVERITY = PG_DIAG_SEVERITY_NONLOCALIZED;
static const int SOUP_PG_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int SOUP_PG_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
static const int SOUP_PG_DIAG_MESSAGE_HINT = PG_DIAG_MESSAGE_HINT;
static const int SOUP_PG_DIAG_STATEMENT_POSITION = PG_DIAG_STATEMENT_POSITION;
static const int SOUP_PG_DIAG_CONTEXT = PG_DIAG_CONTEXT;

// Connections
PGconn *soup_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
ConnStatusType soup_PQstatus(const PGconn *conn);
char *soup_PQerrorMessage(const PGconn *conn);
PGTransactionStatusType soup_PQtransactionStatus(const PGconn *conn);
int soup_PQserverVersion(const PGconn *conn);
PQnoticeReceiver soup_PQsetNoticeReceiver(PGconn *conn, PQnoticeReceiver proc, void *arg);
void soup_PQreset(PGconn *conn);
void soup_PQfinish(PGconn *conn);

// Cancelling
PGcancel *soup_PQgetCancel(PGconn *conn);
int soup_PQcancel(PGcancel *cancel, char *errbuf, int errbufsize);
void soup_PQfreeCancel(PGcancel *cancel);

// Sending statements and reading results
int soup_PQsendQuery(PGconn *conn, const char *query);
int soup_PQsendQueryParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                           const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                           int resultFormat);
int soup_PQsendPrepare(PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes);
int soup_PQsendQueryPrepared(PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues,
                             const int *paramLengths, const int *paramFormats, int resultFormat);
int soup_PQsendDescribePrepared(PGconn *conn, const char *stmt);
int soup_PQsetSingleRowMode(PGconn *conn);
PGresult *soup_PQgetResult(PGconn *conn);
ExecStatusType soup_PQresultStatus(const PGresult *res);
char *soup_PQresultErrorField(const PGresult *res, int fieldcode);
int soup_PQntuples(const PGresult *res);
int soup_PQnfields(const PGresult *res);
char *soup_PQfname(const PGresult *res, int field_num);
Oid soup_PQftype(const PGresult *res, int field_num);
int soup_PQfmod(const PGresult *res, int field_num);
int soup_PQgetisnull(const PGresult *res, int tup_num, int field_num);
int soup_PQgetlength(const PGresult *res, int tup_num, int field_num);
char *soup_PQgetvalue(const PGresult *res, int tup_num, int field_num);
char *soup_PQcmdStatus(PGresult *res);
char *soup_PQcmdTuples(PGresult *res);
void soup_PQclear(PGresult *res);
/// How many results soup_PQgetResult gave on this thread that soup_PQclear has not cleared
/// (debug builds; -1 in release builds, which do not count).
long soup_PQresults_outstanding(void);

// Pipeline mode
int soup_PQenterPipelineMode(PGconn *conn);
int soup_PQexitPipelineMode(PGconn *conn);
int soup_PQpipelineSync(PGconn *conn);

// COPY
int soup_PQputCopyData(PGconn *conn, const char *buffer, int nbytes);
int soup_PQputCopyEnd(PGconn *conn, const char *errormsg);
int soup_PQgetCopyData(PGconn *conn, char **buffer, int async);
void soup_PQfreemem(void *ptr);

#endif
