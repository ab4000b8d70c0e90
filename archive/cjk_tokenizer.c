/*
 * govarc_cjk: an FTS5 tokenizer for Chinese (and mixed Chinese/Latin) text.
 *
 * Chinese has no spaces between words, so SQLite's unicode61 tokenizer sees a whole
 * run of Han characters as one token and `trigram` cannot match two-character words.
 * This tokenizer indexes every Han character twice at the same position: the bigram
 * it starts (曲靖) and, colocated, the character alone (曲). Queries are cut into
 * overlapping bigrams, so a query of any length is a phrase of consecutive bigrams:
 * it matches exactly the documents in which it occurs as a substring of a run of
 * CJK characters. Latin letters and digits form words, lower-cased, full-width
 * forms folded to ASCII. Everything else separates tokens.
 *
 * The module has no link-time dependency on SQLite: Python code obtains the
 * connection's fts5_api pointer and hands its address to register().
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parts of fts5.h we need (stable ABI since SQLite 3.20) ---- */
typedef struct Fts5Tokenizer Fts5Tokenizer;
typedef struct fts5_api fts5_api;
typedef struct fts5_tokenizer {
    int (*xCreate)(void *, const char **azArg, int nArg, Fts5Tokenizer **ppOut);
    void (*xDelete)(Fts5Tokenizer *);
    int (*xTokenize)(Fts5Tokenizer *, void *pCtx, int flags, const char *pText, int nText,
                     int (*xToken)(void *, int, const char *, int, int, int));
} fts5_tokenizer;
struct fts5_api {
    int iVersion;
    int (*xCreateTokenizer)(fts5_api *pApi, const char *zName, void *pUserData,
                            fts5_tokenizer *pTokenizer, void (*xDestroy)(void *));
};
#define FTS5_TOKENIZE_QUERY 0x0001
#define FTS5_TOKEN_COLOCATED 0x0001
#define SQLITE_OK 0
#define SQLITE_NOMEM 7

#define WORD_MAX 256 /* bytes; longer Latin words are cut (never seen in news text) */

typedef int (*token_cb)(void *, int, const char *, int, int, int);

/* Decode one UTF-8 code point at p (n bytes left); returns its length, 1 for bad bytes. */
static int utf8_decode(const unsigned char *p, int n, unsigned int *cp) {
    unsigned int c = p[0];
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xE0) == 0xC0 && n >= 2 && (p[1] & 0xC0) == 0x80) {
        *cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if ((c & 0xF0) == 0xE0 && n >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    if ((c & 0xF8) == 0xF0 && n >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
        (p[3] & 0xC0) == 0x80) {
        *cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

enum { SEP = 0, WORD = 1, CJK = 2 };

static int classify(unsigned int cp) {
    if (cp < 0x80) {
        if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            return WORD;
        return SEP;
    }
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) ||
        (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF) || cp == 0x3005 ||
        cp == 0x3007)
        return CJK;
    if (cp <= 0xBF || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
        (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
        (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xE000 && cp <= 0xF8FF) ||
        (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xD7 ||
        cp == 0xF7)
        return SEP;
    return WORD;
}

/* Append the folded form of cp to a word buffer; returns bytes written. */
static int fold_into(unsigned int cp, const unsigned char *src, int len, char *out) {
    if (cp >= 0xFF10 && cp <= 0xFF5A) cp -= 0xFEE0; /* full-width digits and letters */
    if (cp < 0x80) {
        out[0] = (char)((cp >= 'A' && cp <= 'Z') ? cp + 32 : cp);
        return 1;
    }
    memcpy(out, src, (size_t)len);
    return len;
}

typedef struct {
    void *ctx;
    token_cb xToken;
    const char *text;
    int query;
    /* query mode: the last character of a CJK run, emitted only if more tokens follow */
    int pending, pending_start, pending_end;
} Emitter;

static int flush_pending(Emitter *e) {
    if (!e->pending) return SQLITE_OK;
    e->pending = 0;
    return e->xToken(e->ctx, 0, e->text + e->pending_start, e->pending_end - e->pending_start,
                     e->pending_start, e->pending_end);
}

/* Emit tokens for a CJK run given the byte offsets of its n characters (starts[n] = end). */
static int emit_cjk_run(Emitter *e, const int *starts, int n) {
    int rc = flush_pending(e);
    for (int i = 0; rc == SQLITE_OK && i < n; i++) {
        int s = starts[i], m = starts[i + 1];
        if (i + 1 < n) {
            int t = starts[i + 2];
            rc = e->xToken(e->ctx, 0, e->text + s, t - s, s, t);
            if (rc == SQLITE_OK && !e->query)
                rc = e->xToken(e->ctx, FTS5_TOKEN_COLOCATED, e->text + s, m - s, s, m);
        } else if (!e->query || n == 1) {
            rc = e->xToken(e->ctx, 0, e->text + s, m - s, s, m);
        } else {
            e->pending = 1;
            e->pending_start = s;
            e->pending_end = m;
        }
    }
    return rc;
}

static int cjk_tokenize_impl(void *ctx, int flags, const char *pText, int nText, token_cb xToken) {
    const unsigned char *p = (const unsigned char *)pText;
    Emitter e = {ctx, xToken, pText, (flags & FTS5_TOKENIZE_QUERY) != 0, 0, 0, 0};
    char word[WORD_MAX + 4];
    int wlen = 0, wstart = -1, wend = 0;
    int cap = 64, n = 0;
    int *starts = (int *)malloc(sizeof(int) * (size_t)(cap + 1));
    int rc = SQLITE_OK;
    if (!starts) return SQLITE_NOMEM;
    int i = 0;
    while (rc == SQLITE_OK && i <= nText) {
        unsigned int cp = 0;
        int len = 0, cls = SEP;
        if (i < nText) {
            len = utf8_decode(p + i, nText - i, &cp);
            cls = classify(cp);
        }
        if (cls != WORD && wstart >= 0) {
            rc = flush_pending(&e);
            if (rc == SQLITE_OK) rc = xToken(ctx, 0, word, wlen, wstart, wend);
            wstart = -1;
            wlen = 0;
        }
        if (cls != CJK && n > 0) {
            starts[n] = i;
            if (rc == SQLITE_OK) rc = emit_cjk_run(&e, starts, n);
            n = 0;
        }
        if (rc != SQLITE_OK || i == nText) break;
        if (cls == WORD) {
            if (wstart < 0) wstart = i;
            if (wlen + len <= WORD_MAX) wlen += fold_into(cp, p + i, len, word + wlen);
            wend = i + len;
        } else if (cls == CJK) {
            if (n + 2 > cap) {
                int *grown = (int *)realloc(starts, sizeof(int) * (size_t)(cap * 2 + 1));
                if (!grown) { rc = SQLITE_NOMEM; break; }
                starts = grown;
                cap *= 2;
            }
            starts[n++] = i;
        }
        i += len;
    }
    free(starts);
    return rc;
}

/* ---- fts5_tokenizer callbacks ---- */
static int cjk_create(void *pCtx, const char **azArg, int nArg, Fts5Tokenizer **ppOut) {
    (void)pCtx; (void)azArg; (void)nArg;
    static int dummy;
    *ppOut = (Fts5Tokenizer *)&dummy;
    return SQLITE_OK;
}
static void cjk_delete(Fts5Tokenizer *p) { (void)p; }
static int cjk_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *pText, int nText,
                        token_cb xToken) {
    (void)tok;
    return cjk_tokenize_impl(ctx, flags, pText, nText, xToken);
}
static fts5_tokenizer cjk_tokenizer = {cjk_create, cjk_delete, cjk_tokenize};

/* ---- Python module ---- */
static PyObject *py_register(PyObject *self, PyObject *args) {
    unsigned long long addr;
    const char *name;
    (void)self;
    if (!PyArg_ParseTuple(args, "Ks", &addr, &name)) return NULL;
    fts5_api *api = (fts5_api *)(uintptr_t)addr;
    if (!api || api->iVersion < 2) {
        PyErr_SetString(PyExc_RuntimeError, "not an fts5_api pointer (SQLite without FTS5?)");
        return NULL;
    }
    int rc = api->xCreateTokenizer(api, name, NULL, &cjk_tokenizer, NULL);
    if (rc != SQLITE_OK) {
        PyErr_Format(PyExc_RuntimeError, "xCreateTokenizer failed with SQLite code %d", rc);
        return NULL;
    }
    Py_RETURN_NONE;
}

typedef struct { PyObject *list; } Collect;

static int collect_token(void *ctx, int tflags, const char *tok, int n, int s, int e) {
    Collect *c = (Collect *)ctx;
    PyObject *t = Py_BuildValue("(s#iiO)", tok, (Py_ssize_t)n, s, e,
                                (tflags & FTS5_TOKEN_COLOCATED) ? Py_True : Py_False);
    if (!t) return SQLITE_NOMEM;
    int rc = PyList_Append(c->list, t);
    Py_DECREF(t);
    return rc == 0 ? SQLITE_OK : SQLITE_NOMEM;
}

static PyObject *py_tokenize(PyObject *self, PyObject *args, PyObject *kw) {
    const char *text;
    Py_ssize_t n;
    int query = 0;
    static char *kwlist[] = {"text", "query", NULL};
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|p", kwlist, &text, &n, &query)) return NULL;
    Collect c = {PyList_New(0)};
    if (!c.list) return NULL;
    if (cjk_tokenize_impl(&c, query ? FTS5_TOKENIZE_QUERY : 0, text, (int)n, collect_token)) {
        Py_DECREF(c.list);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return NULL;
    }
    return c.list;
}

static PyMethodDef methods[] = {
    {"register", py_register, METH_VARARGS,
     "register(fts5_api_address, name): add the tokenizer to one connection's FTS5."},
    {"tokenize", (PyCFunction)(void (*)(void))py_tokenize, METH_VARARGS | METH_KEYWORDS,
     "tokenize(text, query=False) -> [(token, start, end, colocated)], byte offsets in UTF-8."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cjk_tokenizer",
                                    "FTS5 tokenizer for Chinese text (bigrams + unigrams).", -1,
                                    methods};

PyMODINIT_FUNC PyInit__cjk_tokenizer(void) { return PyModule_Create(&module); }
