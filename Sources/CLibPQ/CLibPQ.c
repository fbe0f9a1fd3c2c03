#include "CLibPQ.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Every libpq function soup calls; each has a soup_ wrapper in CLibPQ.h.
#define SOUP_LIBPQ_FUNCTIONS(X) \
    X(PQconnectdbParams)        \
    X(PQstatus)                 \
    X(PQerrorMessage)           \
    X(PQtransactionStatus)      \
    X(PQserverVersion)          \
    X(PQsetNoticeReceiver)      \
    X(PQreset)                  \
    X(PQfinish)                 \
    X(PQgetCancel)              \
    X(PQcancel)                 \
    X(PQfreeCancel)             \
    X(PQsendQuery)              \
    X(PQsendQueryParams)        \
    X(PQsendPrepare)            \
    X(PQsendQueryPrepared)      \
    X(PQsendDescribePrepared)   \
    X(PQsetSingleRowMode)       \
    X(PQgetResult)              \
    X(PQresultStatus)           \
    X(PQresultErrorField)       \
    X(PQntuples)                \
    X(PQnfields)                \
    X(PQfname)                  \
    X(PQftype)                  \
    X(PQfmod)                   \
    X(PQgetisnull)              \
    X(PQgetlength)              \
    X(PQgetvalue)               \
    X(PQcmdStatus)              \
    X(PQcmdTuples)              \
    X(PQclear)                  \
    X(PQenterPipelineMode)      \
    X(PQexitPipelineMode)       \
    X(PQpipelineSync)           \
    X(PQputCopyData)            \
    X(PQputCopyEnd)             \
    X(PQgetCopyData)            \
    X(PQfreemem)

// A wrapper whose type drifted from libpq's function does not compile.
#define SOUP_CHECK_WRAPPER(name)                                                        \
    _Static_assert(__builtin_types_compatible_p(__typeof__(soup_##name), __typeof__(name)), \
                   "soup_" #name " must have the type of " #name);
SOUP_LIBPQ_FUNCTIONS(SOUP_CHECK_WRAPPER)

// libpq's functions, looked up once by load_libpq; read-only afterwards.
#define SOUP_DECLARE_POINTER(name) __typeof__(name) *name;
static struct {
    SOUP_LIBPQ_FUNCTIONS(SOUP_DECLARE_POINTER)
} libpq;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
/// Why loading failed, or NULL when it succeeded.
static const char *load_failure;
static char load_failure_text[512];

/// Records dlerror's text as the reason loading failed.
static void record_dlerror(void) {
    snprintf(load_failure_text, sizeof load_failure_text, "%s", dlerror());
    load_failure = load_failure_text;
}

static void load_libpq(void) {
    void *library = dlopen(SOUP_LIBPQ_NAME, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        record_dlerror();  // If the fallback fails too, the versioned name's error says more.
        library = dlopen("libpq.so", RTLD_NOW | RTLD_LOCAL);
        if (!library) return;
        load_failure = NULL;
    }
#define SOUP_LOOK_UP(name)                                            \
    if (!(libpq.name = (__typeof__(name) *)dlsym(library, #name))) { \
        record_dlerror();                                             \
        dlclose(library);                                             \
        return;                                                       \
    }
    SOUP_LIBPQ_FUNCTIONS(SOUP_LOOK_UP)
}

const char *soup_libpq_load(void) {
    pthread_once(&load_once, load_libpq);
    return load_failure;
}

// Loading libpq and the TLS, Kerberos and LDAP libraries it needs keeps the dynamic linker busy
// for about 3 ms. A run whose command line (or DATABASE_URL) is a PostgreSQL URL will connect,
// so it starts loading on a background thread as the process starts, while soup's own start-up
// runs on the main thread; soup_libpq_load then waits for it to finish. Any other run still
// never loads libpq.

static int is_postgres_url(const char *text) {
    return text && (strncmp(text, "postgresql://", 13) == 0 || strncmp(text, "postgres://", 11) == 0);
}

static void *load_in_background(void *unused) {
    (void)unused;
    soup_libpq_load();
    return NULL;
}

__attribute__((constructor)) static void preload_for_postgres_urls(int argc, char **argv, char **envp) {
    (void)envp;
    int names_postgres = is_postgres_url(getenv("DATABASE_URL"));
    for (int index = 1; index < argc && !names_postgres; index++) names_postgres = is_postgres_url(argv[index]);
    if (!names_postgres) return;
    // The loading thread takes no signal: Ctrl-C goes to the main thread or to the thread that
    // waits for it (soup's InterruptMonitor).
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    pthread_t thread;
    if (pthread_create(&thread, NULL, load_in_background, NULL) == 0) pthread_detach(thread);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}

// Connections

PGconn *soup_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    return libpq.PQconnectdbParams(keywords, values, expand_dbname);
}

ConnStatusType soup_PQstatus(const PGconn *conn) { return libpq.PQstatus(conn); }

char *soup_PQerrorMessage(const PGconn *conn) { return libpq.PQerrorMessage(conn); }

PGTransactionStatusType soup_PQtransactionStatus(const PGconn *conn) { return libpq.PQtransactionStatus(conn); }

int soup_PQserverVersion(const PGconn *conn) { return libpq.PQserverVersion(conn); }

PQnoticeReceiver soup_PQsetNoticeReceiver(PGconn *conn, PQnoticeReceiver proc, void *arg) {
    return libpq.PQsetNoticeReceiver(conn, proc, arg);
}

void soup_PQreset(PGconn *conn) { libpq.PQreset(conn); }

void soup_PQfinish(PGconn *conn) { libpq.PQfinish(conn); }

// Cancelling

PGcancel *soup_PQgetCancel(PGconn *conn) { return libpq.PQgetCancel(conn); }

int soup_PQcancel(PGcancel *cancel, char *errbuf, int errbufsize) { return libpq.PQcancel(cancel, errbuf, errbufsize); }

void soup_PQfreeCancel(PGcancel *cancel) { libpq.PQfreeCancel(cancel); }

// Sending statements and reading results

int soup_PQsendQuery(PGconn *conn, const char *query) { return libpq.PQsendQuery(conn, query); }

int soup_PQsendQueryParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                           const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                           int resultFormat) {
    return libpq.PQsendQueryParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
                                   resultFormat);
}

int soup_PQsendPrepare(PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes) {
    return libpq.PQsendPrepare(conn, stmtName, query, nParams, paramTypes);
}

int soup_PQsendQueryPrepared(PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues,
                             const int *paramLengths, const int *paramFormats, int resultFormat) {
    return libpq.PQsendQueryPrepared(conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat);
}

int soup_PQsendDescribePrepared(PGconn *conn, const char *stmt) { return libpq.PQsendDescribePrepared(conn, stmt); }

int soup_PQsetSingleRowMode(PGconn *conn) { return libpq.PQsetSingleRowMode(conn); }

// Results handed out on this thread and not cleared yet, counted in debug builds (Package.swift
// defines SOUP_COUNT_RESULTS there). Swift owns each result in a PostgresResult, whose deinit
// clears it; the tests check that this count comes back to where it was after every path (a
// failed statement, a cancelled or abandoned cursor), so none leaks. Release builds skip the
// count: a streamed row is one result, and the hot path of an export pays for nothing it does
// not use.
#ifdef SOUP_COUNT_RESULTS
static _Thread_local long results_outstanding;
#define COUNT_RESULT(delta) (results_outstanding += (delta))
#else
static const long results_outstanding = -1;
#define COUNT_RESULT(delta) ((void)0)
#endif

long soup_PQresults_outstanding(void) { return results_outstanding; }

PGresult *soup_PQgetResult(PGconn *conn) {
    PGresult *result = libpq.PQgetResult(conn);
    if (result) COUNT_RESULT(1);
    return result;
}

ExecStatusType soup_PQresultStatus(const PGresult *res) { return libpq.PQresultStatus(res); }

char *soup_PQresultErrorField(const PGresult *res, int fieldcode) { return libpq.PQresultErrorField(res, fieldcode); }

int soup_PQntuples(const PGresult *res) { return libpq.PQntuples(res); }

int soup_PQnfields(const PGresult *res) { return libpq.PQnfields(res); }

char *soup_PQfname(const PGresult *res, int field_num) { return libpq.PQfname(res, field_num); }

Oid soup_PQftype(const PGresult *res, int field_num) { return libpq.PQftype(res, field_num); }

int soup_PQfmod(const PGresult *res, int field_num) { return libpq.PQfmod(res, field_num); }

int soup_PQgetisnull(const PGresult *res, int tup_num, int field_num) {
    return libpq.PQgetisnull(res, tup_num, field_num);
}

int soup_PQgetlength(const PGresult *res, int tup_num, int field_num) {
    return libpq.PQgetlength(res, tup_num, field_num);
}

char *soup_PQgetvalue(const PGresult *res, int tup_num, int field_num) {
    return libpq.PQgetvalue(res, tup_num, field_num);
}

char *soup_PQcmdStatus(PGresult *res) { return libpq.PQcmdStatus(res); }

char *soup_PQcmdTuples(PGresult *res) { return libpq.PQcmdTuples(res); }

void soup_PQclear(PGresult *res) {
    if (res) COUNT_RESULT(-1);
    libpq.PQclear(res);
}

// Pipeline mode

int soup_PQenterPipelineMode(PGconn *conn) { return libpq.PQenterPipelineMode(conn); }

int soup_PQexitPipelineMode(PGconn *conn) { return libpq.PQexitPipelineMode(conn); }

int soup_PQpipelineSync(PGconn *conn) { return libpq.PQpipelineSync(conn); }

// COPY

int soup_PQputCopyData(PGconn *conn, const char *buffer, int nbytes) {
    return libpq.PQputCopyData(conn, buffer, nbytes);
}

int soup_PQputCopyEnd(PGconn *conn, const char *errormsg) { return libpq.PQputCopyEnd(conn, errormsg); }

int soup_PQgetCopyData(PGconn *conn, char **buffer, int async) { return libpq.PQgetCopyData(conn, buffer, async); }

void soup_PQfreemem(void *ptr) { libpq.PQfreemem(ptr); }
