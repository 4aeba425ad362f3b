// Native kernels for the tfjs cpu backend (training the SafeNet network of paper section 3.2 at the speed of
// PyTorch on the same CPU): an N-API addon that runs matrix products through the system BLAS (Debian's OpenBLAS,
// cblas_sgemm) directly on the Float32Arrays the cpu backend keeps its tensors in, so nothing is copied.
// Loaded by lib/backend/native.ts; built by native/build.mjs (g++, -lopenblas); optional: without it the package
// runs on its JS/wasm kernels.
#include <node_api.h>
#include <cblas.h>
#include <cstdint>
#include <cstring>
#include <string>

extern "C" {
// OpenBLAS extensions (declared in openblas' cblas.h too; repeated here so a reference cblas.h also compiles)
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
}

#define CHECK(call)                                                                    \
  do {                                                                                 \
    if ((call) != napi_ok) {                                                           \
      napi_throw_error(env, nullptr, "safenet_native: N-API call failed: " #call);     \
      return nullptr;                                                                  \
    }                                                                                  \
  } while (0)

static bool throwIf(napi_env env, bool bad, const std::string &msg) {
  if (bad) napi_throw_error(env, nullptr, ("safenet_native: " + msg).c_str());
  return bad;
}

/** A Float32Array argument: pointer to its first element (byteOffset applied) and its length. */
static bool f32(napi_env env, napi_value v, float **data, size_t *len, const char *name) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) {
    throwIf(env, true, std::string(name) + " must be a Float32Array");
    return false;
  }
  napi_typedarray_type t;
  napi_value ab;
  size_t off;
  void *p;
  if (napi_get_typedarray_info(env, v, &t, len, &p, &ab, &off) != napi_ok || t != napi_float32_array) {
    throwIf(env, true, std::string(name) + " must be a Float32Array");
    return false;
  }
  *data = static_cast<float *>(p);
  return true;
}

static bool i64(napi_env env, napi_value v, int64_t *out, const char *name) {
  if (napi_get_value_int64(env, v, out) != napi_ok) {
    throwIf(env, true, std::string(name) + " must be a number");
    return false;
  }
  return true;
}

static bool boolean(napi_env env, napi_value v, bool *out, const char *name) {
  if (napi_get_value_bool(env, v, out) != napi_ok) {
    throwIf(env, true, std::string(name) + " must be a boolean");
    return false;
  }
  return true;
}

// sgemm(transA, transB, M, N, K, A, B, C, batch, strideA, strideB, strideC, beta)
// C[t] (M x N, row-major) = op(A[t]) . op(B[t]) + beta * C[t] for t < batch; op(A) is M x K, op(B) is K x N;
// A[t] starts at t * strideA (0: the same matrix for every t), likewise B and C. Bounds are checked.
static napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc < 12, "sgemm needs 12 or 13 arguments")) return nullptr;
  bool ta, tb;
  int64_t M, N, K, batch, sA, sB, sC;
  float *A, *B, *C;
  size_t lA, lB, lC;
  if (!boolean(env, argv[0], &ta, "transA") || !boolean(env, argv[1], &tb, "transB")) return nullptr;
  if (!i64(env, argv[2], &M, "M") || !i64(env, argv[3], &N, "N") || !i64(env, argv[4], &K, "K")) return nullptr;
  if (!f32(env, argv[5], &A, &lA, "A") || !f32(env, argv[6], &B, &lB, "B") || !f32(env, argv[7], &C, &lC, "C")) return nullptr;
  if (!i64(env, argv[8], &batch, "batch") || !i64(env, argv[9], &sA, "strideA") || !i64(env, argv[10], &sB, "strideB") ||
      !i64(env, argv[11], &sC, "strideC"))
    return nullptr;
  double beta = 0;
  if (argc > 12 && napi_get_value_double(env, argv[12], &beta) != napi_ok) beta = 0;
  if (throwIf(env, M < 0 || N < 0 || K < 0 || batch < 1 || sA < 0 || sB < 0 || sC < 0, "sgemm: negative size or stride")) return nullptr;
  if (throwIf(env, (uint64_t)((batch - 1) * sA + M * K) > lA, "sgemm: A is shorter than batch x M x K")) return nullptr;
  if (throwIf(env, (uint64_t)((batch - 1) * sB + K * N) > lB, "sgemm: B is shorter than batch x K x N")) return nullptr;
  if (throwIf(env, (uint64_t)((batch - 1) * sC + M * N) > lC, "sgemm: C is shorter than batch x M x N")) return nullptr;
  const int lda = ta ? (int)M : (int)K;
  const int ldb = tb ? (int)K : (int)N;
  for (int64_t t = 0; t < batch; t++) {
    if (K == 0) {
      float *c = C + t * sC;
      if (beta == 0) std::memset(c, 0, sizeof(float) * M * N);
      else for (int64_t i = 0; i < M * N; i++) c[i] *= (float)beta;
      continue;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)M, (int)N, (int)K, 1.0f,
                A + t * sA, lda, B + t * sB, ldb, (float)beta, C + t * sC, (int)N);
  }
  return nullptr;
}

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int64_t n = 1;
  if (argc < 1 || !i64(env, argv[0], &n, "threads")) return nullptr;
  if (throwIf(env, n < 1, "setThreads: threads must be >= 1")) return nullptr;
  openblas_set_num_threads((int)n);
  return nullptr;
}

static napi_value Info(napi_env env, napi_callback_info info) {
  napi_value obj, s, n;
  CHECK(napi_create_object(env, &obj));
  const char *cfg = openblas_get_config();
  CHECK(napi_create_string_utf8(env, cfg ? cfg : "unknown", NAPI_AUTO_LENGTH, &s));
  CHECK(napi_set_named_property(env, obj, "blas", s));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &n));
  CHECK(napi_set_named_property(env, obj, "threads", n));
  return obj;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", nullptr, Sgemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return nullptr;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
