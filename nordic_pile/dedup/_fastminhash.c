/* Nordic word/character shingling and MinHash signatures in one pass (the fast path of nordic_pile.dedup).
 *
 * Words follow nordic_pile/text/words.py exactly: `\w+(?:['’\-]\w+)*(?:(?:\.[^\W\d_]{1,4})+\.)?`, with `\w` and
 * `\d` as Python's `re` defines them for str (Py_UNICODE_ISALNUM or '_', Py_UNICODE_ISDECIMAL). The pure-numpy
 * fallback in shingles.py/minhash.py computes the same numbers; tests compare the two.
 *
 * Hashes: a word is hashed over its (optionally lower-cased) code points with FNV-1a 64; a shingle of n words
 * combines the n word hashes in order and finishes with the MurmurHash3 64-bit finalizer; the low 32 bits are the
 * shingle hash. A character shingle hashes its n code points the same way. The signature uses datasketch's
 * "affine32" scheme on these 32-bit shingle hashes: x = fmix32(h); sig[k] = min(a[k] * x + b[k] mod 2^32).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MIX_K 0x9e3779b97f4a7c15ULL

static inline uint64_t fmix64(uint64_t k) {
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ULL; k ^= k >> 33;
    return k;
}

static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16; h *= 0x85ebca6bU; h ^= h >> 13; h *= 0xc2b2ae35U; h ^= h >> 16;
    return h;
}

static inline int is_word(Py_UCS4 c) {
    if (c < 128) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return Py_UNICODE_ISALNUM(c);
}

static inline int is_letter(Py_UCS4 c) { /* [^\W\d_] */
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

static inline Py_UCS4 lower(Py_UCS4 c, int fold) {
    if (!fold) return c;
    if (c < 128) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return Py_UNICODE_TOLOWER(c);
}

typedef struct { int kind; const void *data; Py_ssize_t len; } text_t;

#define AT(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static inline Py_ssize_t word_run(const text_t *t, Py_ssize_t i) {
    while (i < t->len && is_word(AT(t, i))) i++;
    return i;
}

/* End of the word starting at `i` (AT(t, i) is a word character). */
static Py_ssize_t word_end(const text_t *t, Py_ssize_t i) {
    Py_ssize_t e = word_run(t, i);
    for (;;) { /* (?:['’\-]\w+)* */
        if (e + 1 < t->len) {
            Py_UCS4 c = AT(t, e);
            if ((c == '\'' || c == 0x2019 || c == '-') && is_word(AT(t, e + 1))) { e = word_run(t, e + 1); continue; }
        }
        break;
    }
    /* (?:(?:\.[^\W\d_]{1,4})+\.)? */
    Py_ssize_t p = e, prev = -1;
    int k = 0;
    while (p < t->len && AT(t, p) == '.') {
        Py_ssize_t q = p + 1, m = 0;
        while (q < t->len && m < 4 && is_letter(AT(t, q))) { q++; m++; }
        if (m == 0) break;
        prev = p; p = q; k++;
    }
    if (k >= 1 && p < t->len && AT(t, p) == '.') return p + 1;
    if (k >= 2) return prev + 1;
    return e;
}

static inline uint64_t hash_span(const text_t *t, Py_ssize_t s, Py_ssize_t e, int fold) {
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = s; i < e; i++) { h ^= (uint64_t)lower(AT(t, i), fold); h *= FNV_PRIME; }
    return h;
}

static inline uint32_t combine(const uint64_t *w, int n) {
    uint64_t h = (uint64_t)n;
    for (int j = 0; j < n; j++) { h = (h ^ w[j]) * MIX_K; h = (h << 31) | (h >> 33); }
    return (uint32_t)fmix64(h);
}

/* Word n-gram shingle hashes; a text with fewer than n (but some) words is one shingle of all its words. */
static Py_ssize_t word_shingles(const text_t *t, int n, int fold, uint32_t *out) {
    uint64_t ring[64];
    Py_ssize_t count = 0, nwords = 0, i = 0;
    while (i < t->len) {
        if (!is_word(AT(t, i))) { i++; continue; }
        Py_ssize_t e = word_end(t, i);
        ring[nwords % n] = hash_span(t, i, e, fold);
        nwords++;
        if (nwords >= n) {
            uint64_t w[64];
            for (int j = 0; j < n; j++) w[j] = ring[(nwords - n + j) % n];
            out[count++] = combine(w, n);
        }
        i = e;
    }
    if (nwords > 0 && nwords < n) out[count++] = combine(ring, (int)nwords);
    return count;
}

/* Character n-gram shingle hashes over the text with whitespace runs collapsed to one space and stripped. */
static Py_ssize_t char_shingles(const text_t *t, int n, int fold, uint32_t *out, Py_UCS4 *buf) {
    Py_ssize_t m = 0;
    int space = 0;
    for (Py_ssize_t i = 0; i < t->len; i++) {
        Py_UCS4 c = AT(t, i);
        if (Py_UNICODE_ISSPACE(c)) { space = 1; continue; }
        if (space && m > 0) buf[m++] = ' ';
        space = 0;
        buf[m++] = lower(c, fold);
    }
    if (m == 0) return 0;
    Py_ssize_t count = 0, last = m >= n ? m - n : 0;
    Py_ssize_t width = m >= n ? n : m;
    for (Py_ssize_t s = 0; s <= last; s++) {
        uint64_t h = FNV_OFFSET;
        for (Py_ssize_t j = 0; j < width; j++) { h ^= (uint64_t)buf[s + j]; h *= FNV_PRIME; }
        out[count++] = (uint32_t)fmix64(h);
    }
    return count;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
static void minhash_kernel(const uint32_t *h, Py_ssize_t nh, const uint32_t *a, const uint32_t *b, uint32_t *sig,
                           Py_ssize_t k) {
    for (Py_ssize_t j = 0; j < k; j++) sig[j] = 0xffffffffU;
    for (Py_ssize_t i = 0; i < nh; i++) {
        uint32_t x = fmix32(h[i]);
        for (Py_ssize_t j = 0; j < k; j++) {
            uint32_t v = a[j] * x + b[j];
            sig[j] = v < sig[j] ? v : sig[j];
        }
    }
}

static int load_text(PyObject *s, text_t *t) {
    if (PyUnicode_READY(s) < 0) return -1;
    t->kind = PyUnicode_KIND(s); t->data = PyUnicode_DATA(s); t->len = PyUnicode_GET_LENGTH(s);
    return 0;
}

static Py_ssize_t shingles(const text_t *t, int mode, int n, int fold, uint32_t **out) {
    *out = (uint32_t *)PyMem_Malloc(sizeof(uint32_t) * (t->len + 1));
    if (!*out) { PyErr_NoMemory(); return -1; }
    if (mode == 0) return word_shingles(t, n, fold, *out);
    Py_UCS4 *buf = (Py_UCS4 *)PyMem_Malloc(sizeof(Py_UCS4) * (t->len + 1));
    if (!buf) { PyMem_Free(*out); PyErr_NoMemory(); return -1; }
    Py_ssize_t c = char_shingles(t, n, fold, *out, buf);
    PyMem_Free(buf);
    return c;
}

static int check_n(int n) {
    if (n < 1 || n > 64) { PyErr_SetString(PyExc_ValueError, "n must be between 1 and 64"); return -1; }
    return 0;
}

/* shingle_hashes(text, mode, n, fold) -> bytes of uint32 (mode 0: words, 1: characters), in text order. */
static PyObject *py_shingle_hashes(PyObject *self, PyObject *args) {
    PyObject *s; int mode, n, fold;
    if (!PyArg_ParseTuple(args, "Uiip", &s, &mode, &n, &fold) || check_n(n) < 0) return NULL;
    text_t t; uint32_t *out;
    if (load_text(s, &t) < 0) return NULL;
    Py_ssize_t c = shingles(&t, mode, n, fold, &out);
    if (c < 0) return NULL;
    PyObject *r = PyBytes_FromStringAndSize((const char *)out, c * 4);
    PyMem_Free(out);
    return r;
}

/* signature_into(text, mode, n, fold, a, b, out) -> number of shingles; writes the signature into `out`. */
static PyObject *py_signature_into(PyObject *self, PyObject *args) {
    PyObject *s; int mode, n, fold; Py_buffer a, b, o;
    if (!PyArg_ParseTuple(args, "Uiipy*y*w*", &s, &mode, &n, &fold, &a, &b, &o)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t k = a.len / 4;
    if (check_n(n) < 0) goto done;
    if (b.len != a.len || o.len != a.len) { PyErr_SetString(PyExc_ValueError, "a, b, out differ in size"); goto done; }
    text_t t; uint32_t *h;
    if (load_text(s, &t) < 0) goto done;
    Py_ssize_t c = shingles(&t, mode, n, fold, &h);
    if (c < 0) goto done;
    minhash_kernel(h, c, (const uint32_t *)a.buf, (const uint32_t *)b.buf, (uint32_t *)o.buf, k);
    PyMem_Free(h);
    result = PyLong_FromSsize_t(c);
done:
    PyBuffer_Release(&a); PyBuffer_Release(&b); PyBuffer_Release(&o);
    return result;
}

/* minhash_into(hashes, a, b, out): the signature of 32-bit shingle hashes (e.g. datasketch's sha1_hash32). */
static PyObject *py_minhash_into(PyObject *self, PyObject *args) {
    Py_buffer h, a, b, o;
    if (!PyArg_ParseTuple(args, "y*y*y*w*", &h, &a, &b, &o)) return NULL;
    PyObject *result = NULL;
    if (b.len != a.len || o.len != a.len || h.len % 4) {
        PyErr_SetString(PyExc_ValueError, "a, b, out differ in size or hashes are not uint32");
    } else {
        minhash_kernel((const uint32_t *)h.buf, h.len / 4, (const uint32_t *)a.buf, (const uint32_t *)b.buf,
                       (uint32_t *)o.buf, a.len / 4);
        result = Py_None; Py_INCREF(result);
    }
    PyBuffer_Release(&h); PyBuffer_Release(&a); PyBuffer_Release(&b); PyBuffer_Release(&o);
    return result;
}

static PyMethodDef methods[] = {
    {"shingle_hashes", py_shingle_hashes, METH_VARARGS, "shingle_hashes(text, mode, n, fold) -> bytes (uint32)"},
    {"signature_into", py_signature_into, METH_VARARGS, "signature_into(text, mode, n, fold, a, b, out) -> int"},
    {"minhash_into", py_minhash_into, METH_VARARGS, "minhash_into(hashes, a, b, out)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastminhash", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fastminhash(void) { return PyModule_Create(&module); }
