#include "core/log.h"

#include "core/mem.h"
#include "core/outdir.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct logrec {
    int level; /* spy_log_level, or 100 + spy_level for alerts */
    struct timeval tv;
    char *logger;
    char *message;
} logrec;

struct spy_logcap {
    logrec *v;
    size_t n, cap;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *g_console;
static int g_file_fd = -1;
static int g_threshold = SPY_LOG_INFO;
static bool g_quiet;
static atomic_ulong g_warnings, g_errors;
static _Thread_local spy_logcap *t_cap;
/* Records logged before command.log exists (indicator loading happens
 * before the output folder is opened), written to it when it opens. */
static spy_logcap g_backlog;
static bool g_keep_backlog;
#define MAX_BACKLOG 4096

static void file_line(const logrec *r);
static void backlog_clear(void);

#define ALERT_BASE 100

void spy_log_set_verbose(bool verbose)
{
    g_threshold = verbose ? SPY_LOG_DEBUG : SPY_LOG_INFO;
}
void spy_log_set_quiet(bool quiet)
{
    g_quiet = quiet;
}
void spy_log_set_console(FILE *f)
{
    g_console = f;
}
void spy_log_set_file_fd(int fd)
{
    pthread_mutex_lock(&g_lock);
    g_file_fd = fd;
    if (fd >= 0)
        for (size_t i = 0; i < g_backlog.n; i++)
            file_line(&g_backlog.v[i]);
    backlog_clear();
    g_keep_backlog = false;
    pthread_mutex_unlock(&g_lock);
}

void spy_log_keep_backlog(void)
{
    pthread_mutex_lock(&g_lock);
    g_keep_backlog = true;
    pthread_mutex_unlock(&g_lock);
}
unsigned long spy_log_warning_count(void)
{
    return atomic_load(&g_warnings);
}
unsigned long spy_log_error_count(void)
{
    return atomic_load(&g_errors);
}

static const char *console_label(int level)
{
    if (level >= ALERT_BASE) {
        switch (level - ALERT_BASE) {
        case SPY_LEVEL_INFORMATIONAL: return "INFO ALERT";
        case SPY_LEVEL_LOW: return "LOW ALERT";
        case SPY_LEVEL_MEDIUM: return "MEDIUM ALERT";
        case SPY_LEVEL_HIGH: return "HIGH ALERT";
        default: return "CRITICAL ALERT";
        }
    }
    switch (level) {
    case SPY_LOG_WARNING: return "WARNING";
    case SPY_LOG_ERROR: return "ERROR";
    case SPY_LOG_CRITICAL: return "FATAL";
    default: return "";
    }
}

static const char *file_label(int level)
{
    if (level >= ALERT_BASE) {
        switch (level - ALERT_BASE) {
        case SPY_LEVEL_INFORMATIONAL: return "INFO";
        case SPY_LEVEL_LOW: return "LOW";
        case SPY_LEVEL_MEDIUM: return "MEDIUM";
        case SPY_LEVEL_HIGH: return "HIGH";
        default: return "CRITICAL";
        }
    }
    switch (level) {
    case SPY_LOG_DEBUG: return "DEBUG";
    case SPY_LOG_INFO: return "INFO";
    case SPY_LOG_WARNING: return "WARNING";
    case SPY_LOG_ERROR: return "ERROR";
    default: return "CRITICAL";
    }
}

static void file_line(const logrec *r);

static void backlog_add(const logrec *r)
{
    spy_logcap *c = &g_backlog;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = spy_xreallocarray(c->v, c->cap, sizeof *c->v);
    }
    c->v[c->n] = *r;
    c->v[c->n].logger = spy_xstrdup(r->logger);
    c->v[c->n].message = spy_xstrdup(r->message);
    c->n++;
}

static void backlog_clear(void)
{
    for (size_t i = 0; i < g_backlog.n; i++) {
        free(g_backlog.v[i].logger);
        free(g_backlog.v[i].message);
    }
    free(g_backlog.v);
    g_backlog = (spy_logcap){0};
}

/* Caller holds g_lock. */
static void emit(const logrec *r)
{
    int effective = r->level >= ALERT_BASE ? SPY_LOG_WARNING : r->level;
    bool to_console = g_quiet ? effective >= SPY_LOG_ERROR : effective >= g_threshold;
    if (to_console) {
        FILE *c = g_console ? g_console : stderr;
        fprintf(c, "%-14s [%s] %s\n", console_label(r->level), r->logger, r->message);
        fflush(c);
    }
    if (g_file_fd >= 0)
        file_line(r);
    else if (g_keep_backlog && g_backlog.n < MAX_BACKLOG)
        backlog_add(r);
}

static void file_line(const logrec *r)
{
    struct tm tm;
    time_t secs = r->tv.tv_sec;
    char when[32] = "";
    if (localtime_r(&secs, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    char *line = spy_xasprintf("%s,%03ld - %s - %s - %s\n", when, (long)(r->tv.tv_usec / 1000),
                               r->logger, file_label(r->level), r->message);
    spy_write_all(g_file_fd, line, strlen(line));
    free(line);
}

/* Messages quote evidence (member names, package names, paths): control
 * bytes in them would reach the analyst's terminal and command.log raw, so
 * an escape sequence could recolour or clear the screen and a newline forge
 * a log line of its own. They are written as \xNN; tabs stay. Frees
 * message when it returns another string. */
static char *inert(char *message)
{
    size_t extra = 0;
    for (const unsigned char *p = (const unsigned char *)message; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            extra += 3;
    if (!extra)
        return message;
    size_t len = strlen(message);
    char *out = spy_xmalloc(len + extra + 1), *o = out;
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)message; *p; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    free(message);
    return out;
}

static void record(int level, const char *logger, char *message)
{
    message = inert(message);
    if (level == SPY_LOG_WARNING)
        atomic_fetch_add(&g_warnings, 1);
    else if (level >= SPY_LOG_ERROR && level < ALERT_BASE)
        atomic_fetch_add(&g_errors, 1);
    logrec r = {.level = level, .logger = (char *)logger, .message = message};
    gettimeofday(&r.tv, NULL);
    if (t_cap) {
        spy_logcap *c = t_cap;
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 32;
            c->v = spy_xreallocarray(c->v, c->cap, sizeof *c->v);
        }
        r.logger = spy_xstrdup(logger);
        c->v[c->n++] = r;
        return;
    }
    pthread_mutex_lock(&g_lock);
    emit(&r);
    pthread_mutex_unlock(&g_lock);
    free(message);
}

void spy_log(spy_log_level level, const char *logger, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *msg = spy_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    record((int)level, logger, msg);
}

void spy_log_alert(spy_level level, const char *logger, const char *message)
{
    record(ALERT_BASE + (int)level, logger, spy_xstrdup(message));
}

spy_logcap *spy_logcap_new(void)
{
    return spy_xcalloc(1, sizeof(spy_logcap));
}

void spy_logcap_begin(spy_logcap *cap)
{
    t_cap = cap;
}

void spy_logcap_end(void)
{
    t_cap = NULL;
}

void spy_logcap_replay(spy_logcap *cap)
{
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < cap->n; i++)
        emit(&cap->v[i]);
    pthread_mutex_unlock(&g_lock);
}

void spy_logcap_free(spy_logcap *cap)
{
    if (!cap)
        return;
    for (size_t i = 0; i < cap->n; i++) {
        free(cap->v[i].logger);
        free(cap->v[i].message);
    }
    free(cap->v);
    free(cap);
}
