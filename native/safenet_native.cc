// Native kernels for the tfjs cpu backend (training the SafeNet network of paper section 3.2 at the speed of
// PyTorch on the same CPU): an N-API addon that runs matrix products through the system BLAS (Debian's OpenBLAS,
// cblas_sgemm) directly on the Float32Arrays the cpu backend keeps its tensors in, so nothing is copied.
// Loaded by lib/backend/native.ts; built by native/build.mjs (g++, -lopenblas); optional: without it the package
// runs on its JS/wasm kernels. Also the whole (bidirectional) LSTM layer of SafeNet, forward and backward over all
// time steps, as one call each (lstmForward, lstmBackward): the products through BLAS, the gate nonlinearities in
// C++ loops that the compiler vectorises (an AVX2/FMA clone chosen at load time by the CPU, SSE2 otherwise).
#include <node_api.h>
#include <cblas.h>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>
#include <algorithm>
#include <thread>
#include <cmath>

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


// ---------------------------------------------------------------------------------------------------------------
// LSTM layer (gate order i, f, g, o as Keras/tfjs and PyTorch; sigmoid gates, tanh cell): x [B, T, D] row-major,
// per direction d (0 forward, 1 reverse) W_d [D, 4U], R_d [U, 4U], b_d [4U]. Buffers the backward pass needs are
// kept by the caller in (b, t) row order: gates_d [B*T, 4U] (activated), cs_d [B*T, U] (cell), hs_d [B*T, U].

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SAFENET_CLONES __attribute__((target_clones("arch=haswell", "default")))
#else
#define SAFENET_CLONES
#endif

// exp(x) for float, branch-free so that loops over it vectorise: 2^n * p(r), r = x - n ln2, |r| <= ln2/2, a degree-6
// polynomial (Cephes expf); relative error about 2e-7 on [-87, 88], saturating outside.
static inline float expApprox(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  const float shifter = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits
  float t = x * 1.44269504088896341f + shifter;
  float n = t - shifter;
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int32_t ni = (int32_t)n;
  int32_t bits = (ni + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}
static inline float sigmoidApprox(float x) { return 1.0f / (1.0f + expApprox(-x)); }
// tanh(x) = sign(x) (1 - 2 / (exp(2|x|) + 1)); for |x| < 0.0625 the odd Taylor series (no cancellation near 0)
static inline float tanhApprox(float x) {
  float a = std::fabs(x);
  float big = 1.0f - 2.0f / (expApprox(2.0f * a) + 1.0f);
  float x2 = x * x;
  float small = a * (1.0f + x2 * (-0.333333333f + x2 * (0.133333333f + x2 * -0.0539682540f)));
  float v = a < 0.0625f ? small : big;
  return std::copysign(v, x);
}

// One row of one step's gates: zi..zo (pre-activations, activated in place), cell c from cp, h. Separate pointers
// marked __restrict so that the compiler vectorises the loop.
static inline void lstmGatesRow(float *__restrict zi, float *__restrict zf, float *__restrict zg, float *__restrict zo,
                                const float *__restrict cp, float *__restrict cb, float *__restrict hb, int64_t U) {
  for (int64_t u = 0; u < U; u++) {
    float i = sigmoidApprox(zi[u]), f = sigmoidApprox(zf[u]), g = tanhApprox(zg[u]), o = sigmoidApprox(zo[u]);
    zi[u] = i;
    zf[u] = f;
    zg[u] = g;
    zo[u] = o;
    float cn = i * g + f * cp[u];
    cb[u] = cn;
    hb[u] = o * tanhApprox(cn);
  }
}

// One step's gates for B rows of 4U starting every ldz floats; cPrev: zeros (ldcp 0) at the first step.
SAFENET_CLONES
static void lstmGates(float *z, int64_t ldz, const float *cPrev, int64_t ldcp, float *c, float *h, int64_t ldc,
                      int64_t B, int64_t U) {
  for (int64_t b = 0; b < B; b++) {
    float *zi = z + b * ldz;
    lstmGatesRow(zi, zi + U, zi + 2 * U, zi + 3 * U, cPrev + b * ldcp, c + b * ldc, h + b * ldc, U);
  }
}

// One row backward: gate pre-activation gradients from dh (gradient reaching h) and dc (carried cell gradient,
// updated to the previous step's).
static inline void lstmGatesBackwardRow(const float *__restrict zi, const float *__restrict zf, const float *__restrict zg,
                                        const float *__restrict zo, const float *__restrict cb, const float *__restrict cp,
                                        const float *__restrict dhb, float *__restrict dcb, float *__restrict di,
                                        float *__restrict df, float *__restrict dg, float *__restrict dO, int64_t U) {
  for (int64_t u = 0; u < U; u++) {
    float i = zi[u], f = zf[u], g = zg[u], o = zo[u];
    float tc = tanhApprox(cb[u]);
    float dhv = dhb[u];
    float dcv = dcb[u] + dhv * o * (1.0f - tc * tc);
    di[u] = dcv * g * i * (1.0f - i);
    df[u] = dcv * cp[u] * f * (1.0f - f);
    dg[u] = dcv * i * (1.0f - g * g);
    dO[u] = dhv * tc * o * (1.0f - o);
    dcb[u] = dcv * f;
  }
}

SAFENET_CLONES
static void lstmGatesBackward(const float *z, int64_t ldz, const float *c, const float *cPrev, int64_t ldcp, int64_t ldc,
                              const float *dh, float *dc, float *dz, int64_t B, int64_t U) {
  for (int64_t b = 0; b < B; b++) {
    const float *zi = z + b * ldz;
    float *di = dz + b * ldz;
    lstmGatesBackwardRow(zi, zi + U, zi + 2 * U, zi + 3 * U, c + b * ldc, cPrev + b * ldcp, dh + b * U, dc + b * U, di, di + U,
                         di + 2 * U, di + 3 * U, U);
  }
}

/** A JS array of Float32Arrays (one per direction) of exactly `len` floats each. */
static bool f32list(napi_env env, napi_value v, uint32_t n, size_t len, std::vector<float *> &out, const char *name) {
  bool isArr = false;
  napi_is_array(env, v, &isArr);
  uint32_t have = 0;
  if (!isArr || napi_get_array_length(env, v, &have) != napi_ok || have != n) {
    throwIf(env, true, std::string(name) + " must be an array of " + std::to_string(n) + " Float32Arrays");
    return false;
  }
  out.resize(n);
  for (uint32_t k = 0; k < n; k++) {
    napi_value e;
    size_t l;
    if (napi_get_element(env, v, k, &e) != napi_ok || !f32(env, e, &out[k], &l, name)) return false;
    if (l != len) {
      throwIf(env, true, std::string(name) + "[" + std::to_string(k) + "] has " + std::to_string(l) + " floats, expected " + std::to_string(len));
      return false;
    }
  }
  return true;
}

static bool f32len(napi_env env, napi_value v, float **p, size_t want, const char *name) {
  size_t l;
  if (!f32(env, v, p, &l, name)) return false;
  if (l != want) {
    throwIf(env, true, std::string(name) + " has " + std::to_string(l) + " floats, expected " + std::to_string(want));
    return false;
  }
  return true;
}

// Threads for the two directions of a bidirectional LSTM (setThreads: 1 = one after the other). While they run,
// each direction's products use one BLAS thread (no nested parallelism); the BLAS setting is restored after.
static int gLstmThreads = 1;

template <typename F>
static void runDirections(int64_t nDir, F &&direction) {
  if (nDir == 2 && gLstmThreads > 1) {
    const int blas = openblas_get_num_threads();
    if (blas > 1) openblas_set_num_threads(1);
    std::thread other([&] { direction(1); });
    direction(0);
    other.join();
    if (blas > 1) openblas_set_num_threads(blas);
  } else {
    for (int64_t k = 0; k < nDir; k++) direction(k);
  }
}

struct LstmDims {
  int64_t B, T, D, U, nDir;
  bool returnSequences;
};

static bool lstmDims(napi_env env, napi_value *argv, LstmDims &d) {
  if (!i64(env, argv[1], &d.B, "B") || !i64(env, argv[2], &d.T, "T") || !i64(env, argv[3], &d.D, "D") ||
      !i64(env, argv[4], &d.U, "U") || !i64(env, argv[5], &d.nDir, "nDir"))
    return false;
  if (throwIf(env, d.B < 1 || d.T < 1 || d.D < 1 || d.U < 1 || (d.nDir != 1 && d.nDir != 2), "lstm: sizes must be >= 1, nDir 1 or 2"))
    return false;
  return true;
}

// lstmForward(x, B, T, D, U, nDir, Ws, Rs, bs, gates, cs, hs, out, returnSequences)
// out: [B, T, nDir*U] (returnSequences; direction d in columns d*U..) or [B, nDir*U] (each direction's last step).
static napi_value LstmForward(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 14, "lstmForward needs 14 arguments")) return nullptr;
  LstmDims d;
  if (!lstmDims(env, argv, d)) return nullptr;
  if (!boolean(env, argv[13], &d.returnSequences, "returnSequences")) return nullptr;
  const int64_t B = d.B, T = d.T, D = d.D, U = d.U, G = 4 * U, nDir = d.nDir;
  float *x, *out;
  std::vector<float *> W, R, bias, gates, cs, hs;
  if (!f32len(env, argv[0], &x, B * T * D, "x")) return nullptr;
  if (!f32list(env, argv[6], nDir, D * G, W, "Ws") || !f32list(env, argv[7], nDir, U * G, R, "Rs") ||
      !f32list(env, argv[8], nDir, G, bias, "bs") || !f32list(env, argv[9], nDir, B * T * G, gates, "gates") ||
      !f32list(env, argv[10], nDir, B * T * U, cs, "cs") || !f32list(env, argv[11], nDir, B * T * U, hs, "hs"))
    return nullptr;
  const int64_t W2 = nDir * U;
  if (!f32len(env, argv[12], &out, d.returnSequences ? B * T * W2 : B * W2, "out")) return nullptr;
  auto direction = [&](int64_t k) {
    const bool rev = k == 1;
    std::vector<float> zeros(U, 0.0f);
    float *z = gates[k];
    // input projection for all steps at once, plus bias
    for (int64_t r = 0; r < B * T; r++) std::memcpy(z + r * G, bias[k], sizeof(float) * G);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)(B * T), (int)G, (int)D, 1.0f, x, (int)D, W[k], (int)G, 1.0f, z, (int)G);
    for (int64_t s = 0; s < T; s++) {
      const int64_t t = rev ? T - 1 - s : s, tp = rev ? t + 1 : t - 1;
      // rows (b, t) of z, c and h lie T rows apart
      if (s > 0)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)G, (int)U, 1.0f, hs[k] + tp * U, (int)(T * U), R[k], (int)G,
                    1.0f, z + t * G, (int)(T * G));
      lstmGates(z + t * G, T * G, s > 0 ? cs[k] + tp * U : zeros.data(), s > 0 ? T * U : 0, cs[k] + t * U, hs[k] + t * U, T * U, B, U);
    }
    if (d.returnSequences) {
      for (int64_t r = 0; r < B * T; r++) std::memcpy(out + r * W2 + k * U, hs[k] + r * U, sizeof(float) * U);
    } else {
      const int64_t tl = rev ? 0 : T - 1;
      for (int64_t b = 0; b < B; b++) std::memcpy(out + b * W2 + k * U, hs[k] + (b * T + tl) * U, sizeof(float) * U);
    }
  };
  runDirections(nDir, direction);
  return nullptr;
}

// lstmBackward(x, B, T, D, U, nDir, Ws, Rs, gates, cs, hs, dy, returnSequences, dx, dWs, dRs, dbs)
// dy shaped as lstmForward's out; writes dx [B, T, D] (both directions summed) and each direction's dW, dR, db.
static napi_value LstmBackward(napi_env env, napi_callback_info info) {
  size_t argc = 17;
  napi_value argv[17];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 17, "lstmBackward needs 17 arguments")) return nullptr;
  LstmDims d;
  if (!lstmDims(env, argv, d)) return nullptr;
  if (!boolean(env, argv[12], &d.returnSequences, "returnSequences")) return nullptr;
  const int64_t B = d.B, T = d.T, D = d.D, U = d.U, G = 4 * U, nDir = d.nDir, W2 = nDir * U;
  float *x, *dy, *dx;
  std::vector<float *> W, R, gates, cs, hs, dW, dR, db;
  if (!f32len(env, argv[0], &x, B * T * D, "x")) return nullptr;
  if (!f32list(env, argv[6], nDir, D * G, W, "Ws") || !f32list(env, argv[7], nDir, U * G, R, "Rs") ||
      !f32list(env, argv[8], nDir, B * T * G, gates, "gates") || !f32list(env, argv[9], nDir, B * T * U, cs, "cs") ||
      !f32list(env, argv[10], nDir, B * T * U, hs, "hs"))
    return nullptr;
  if (!f32len(env, argv[11], &dy, d.returnSequences ? B * T * W2 : B * W2, "dy") || !f32len(env, argv[13], &dx, B * T * D, "dx"))
    return nullptr;
  if (!f32list(env, argv[14], nDir, D * G, dW, "dWs") || !f32list(env, argv[15], nDir, U * G, dR, "dRs") ||
      !f32list(env, argv[16], nDir, G, db, "dbs"))
    return nullptr;
  // the reverse direction's dx goes to its own buffer when the directions run in parallel, added afterwards
  const bool parallel = nDir == 2 && gLstmThreads > 1;
  std::vector<float> dx1(parallel ? B * T * D : 0);
  auto direction = [&](int64_t k) {
    const bool rev = k == 1;
    std::vector<float> dz(B * T * G), hPrev(B * T * U), dh(B * U, 0.0f), dc(B * U, 0.0f), zeros(U, 0.0f);
    for (int64_t s = T - 1; s >= 0; s--) {
      const int64_t t = rev ? T - 1 - s : s, tp = rev ? t + 1 : t - 1;
      if (d.returnSequences) {
        for (int64_t b = 0; b < B; b++) {
          const float *g = dy + (b * T + t) * W2 + k * U;
          float *h = dh.data() + b * U;
          for (int64_t u = 0; u < U; u++) h[u] += g[u];
        }
      } else if (s == T - 1) {
        for (int64_t b = 0; b < B; b++) std::memcpy(dh.data() + b * U, dy + b * W2 + k * U, sizeof(float) * U);
      }
      lstmGatesBackward(gates[k] + t * G, T * G, cs[k] + t * U, s > 0 ? cs[k] + tp * U : zeros.data(), s > 0 ? T * U : 0, T * U,
                        dh.data(), dc.data(), dz.data() + t * G, B, U);
      for (int64_t b = 0; b < B; b++) {
        float *hp = hPrev.data() + (b * T + t) * U;
        if (s > 0) std::memcpy(hp, hs[k] + (b * T + tp) * U, sizeof(float) * U);
        else std::memset(hp, 0, sizeof(float) * U);
      }
      // gradient reaching the previous step's h: dz_t . R^T
      if (s > 0)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)U, (int)G, 1.0f, dz.data() + t * G, (int)(T * G), R[k], (int)G,
                    0.0f, dh.data(), (int)U);
    }
    const int BT = (int)(B * T);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)D, (int)G, BT, 1.0f, x, (int)D, dz.data(), (int)G, 0.0f, dW[k], (int)G);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)U, (int)G, BT, 1.0f, hPrev.data(), (int)U, dz.data(), (int)G, 0.0f, dR[k], (int)G);
    float *dxk = parallel && k == 1 ? dx1.data() : dx;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BT, (int)D, (int)G, 1.0f, dz.data(), (int)G, W[k], (int)G,
                k > 0 && !parallel ? 1.0f : 0.0f, dxk, (int)D);
    float *dbk = db[k];
    std::memset(dbk, 0, sizeof(float) * G);
    for (int64_t r = 0; r < B * T; r++) {
      const float *zr = dz.data() + r * G;
      for (int64_t j = 0; j < G; j++) dbk[j] += zr[j];
    }
  };
  runDirections(nDir, direction);
  if (parallel)
    for (int64_t i = 0; i < B * T * D; i++) dx[i] += dx1[i];
  return nullptr;
}

// adamStep(p, g, m, v, pOut, mOut, vOut, b1, b2, ob1, ob2, omab1, omab2, eps, nlr): one Adam update of one weight,
// the float32 operations of tfjs' stock Adam in its order (lib/backend/adam_cpu.ts adamStep, whose every
// intermediate is rounded to float32): m1 = m b1 + g ob1; v1 = v b2 + g^2 ob2; p + (m1/omab1) / (sqrt(v1/omab2) + eps) nlr.
// Compiled without FMA contraction (no target clone here), so the result is bit-identical to the JS loop.
static void adamLoop(const float *__restrict p, const float *__restrict g, const float *__restrict m, const float *__restrict v,
                     float *__restrict pOut, float *__restrict mOut, float *__restrict vOut, size_t n, float b1, float b2,
                     float ob1, float ob2, float omab1, float omab2, float eps, float nlr) {
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float m1 = m[i] * b1 + gi * ob1;
    const float v1 = v[i] * b2 + (gi * gi) * ob2;
    mOut[i] = m1;
    vOut[i] = v1;
    const float mh = m1 / omab1;
    const float vh = v1 / omab2;
    const float d = std::sqrt(vh) + eps;
    pOut[i] = (mh / d) * nlr + p[i];
  }
}

static napi_value AdamStep(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 15, "adamStep needs 15 arguments")) return nullptr;
  float *a[7];
  size_t n = 0;
  const char *names[7] = {"p", "g", "m", "v", "pOut", "mOut", "vOut"};
  for (int k = 0; k < 7; k++) {
    size_t l;
    if (!f32(env, argv[k], &a[k], &l, names[k])) return nullptr;
    if (k == 0) n = l;
    else if (throwIf(env, l != n, std::string("adamStep: ") + names[k] + " has " + std::to_string(l) + " floats, p has " + std::to_string(n)))
      return nullptr;
  }
  float sc[8];
  for (int k = 0; k < 8; k++) {
    double d;
    if (napi_get_value_double(env, argv[7 + k], &d) != napi_ok) {
      throwIf(env, true, "adamStep: scalar arguments must be numbers");
      return nullptr;
    }
    sc[k] = (float)d;
  }
  adamLoop(a[0], a[1], a[2], a[3], a[4], a[5], a[6], n, sc[0], sc[1], sc[2], sc[3], sc[4], sc[5], sc[6], sc[7]);
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------------
// Element-wise kernels of the tfjs cpu backend (lib/backend/kernels/elementwise_cpu.ts, maxpool_grad.ts call these
// when the addon is built): the same results bit for bit as the JS loops they replace (float32 +, -, *, / are
// correctly rounded, as JS's float64 operation rounded to float32; sums accumulate in double as JS does).

// binary(op, out, a, b, aMod, bMod): op 0 Add, 1 Sub, 2 Multiply, 3 RealDiv; aMod/bMod 0 = same size as out,
// 1 = scalar, k = repeats every k elements (a bias row); at most one operand is not full-size.
template <int OP>
static inline float bin(float x, float y) {
  if (OP == 0) return x + y;
  if (OP == 1) return x - y;
  if (OP == 2) return x * y;
  return x / y;
}

template <int OP>
static void binaryLoop(float *__restrict out, const float *__restrict a, const float *__restrict b, size_t n, size_t aMod,
                       size_t bMod) {
  if (aMod == 0 && bMod == 0) {
    for (size_t i = 0; i < n; i++) out[i] = bin<OP>(a[i], b[i]);
  } else if (bMod == 1) {
    const float s = b[0];
    for (size_t i = 0; i < n; i++) out[i] = bin<OP>(a[i], s);
  } else if (aMod == 1) {
    const float s = a[0];
    for (size_t i = 0; i < n; i++) out[i] = bin<OP>(s, b[i]);
  } else if (bMod) {
    for (size_t o = 0; o < n; o += bMod)
      for (size_t j = 0; j < bMod; j++) out[o + j] = bin<OP>(a[o + j], b[j]);
  } else {
    for (size_t o = 0; o < n; o += aMod)
      for (size_t j = 0; j < aMod; j++) out[o + j] = bin<OP>(a[j], b[o + j]);
  }
}

static bool f32any(napi_env env, napi_value v, float **p, size_t *len, const char *name) { return f32(env, v, p, len, name); }

static napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 6, "binary needs 6 arguments")) return nullptr;
  int64_t op, aMod, bMod;
  float *out, *a, *b;
  size_t n, la, lb;
  if (!i64(env, argv[0], &op, "op") || !f32any(env, argv[1], &out, &n, "out") || !f32any(env, argv[2], &a, &la, "a") ||
      !f32any(env, argv[3], &b, &lb, "b") || !i64(env, argv[4], &aMod, "aMod") || !i64(env, argv[5], &bMod, "bMod"))
    return nullptr;
  if (throwIf(env, op < 0 || op > 3, "binary: op must be 0..3") || throwIf(env, aMod < 0 || bMod < 0 || (aMod && bMod), "binary: bad aMod/bMod"))
    return nullptr;
  const size_t needA = aMod ? (size_t)aMod : n, needB = bMod ? (size_t)bMod : n;
  if (throwIf(env, la < needA || lb < needB, "binary: an operand is shorter than its broadcast needs") ||
      throwIf(env, (aMod > 1 && n % aMod) || (bMod > 1 && n % bMod), "binary: out is not a whole number of repeats"))
    return nullptr;
  switch (op) {
    case 0: binaryLoop<0>(out, a, b, n, aMod, bMod); break;
    case 1: binaryLoop<1>(out, a, b, n, aMod, bMod); break;
    case 2: binaryLoop<2>(out, a, b, n, aMod, bMod); break;
    default: binaryLoop<3>(out, a, b, n, aMod, bMod); break;
  }
  return nullptr;
}

// unary(op, out, x, alpha): 0 Relu (a > 0 ? a : +0, NaN -> NaN), 1 Step (NaN -> NaN, > 0 -> 1, else alpha),
// 2 Floor.
static napi_value Unary(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 4, "unary needs 4 arguments")) return nullptr;
  int64_t op;
  float *out, *x;
  size_t n, lx;
  double alphaD;
  if (!i64(env, argv[0], &op, "op") || !f32any(env, argv[1], &out, &n, "out") || !f32any(env, argv[2], &x, &lx, "x")) return nullptr;
  if (napi_get_value_double(env, argv[3], &alphaD) != napi_ok) {
    throwIf(env, true, "unary: alpha must be a number");
    return nullptr;
  }
  if (throwIf(env, lx != n, "unary: x and out differ in length") || throwIf(env, op < 0 || op > 2, "unary: op must be 0..2")) return nullptr;
  float *__restrict o = out;
  const float *__restrict xv = x;
  const float alpha = (float)alphaD;
  if (op == 0) {
    for (size_t i = 0; i < n; i++) {
      const float a = xv[i];
      const float z = a != a ? a : 0.0f;  // +0 for every a <= 0 (-0 and -Infinity too), NaN stays NaN
      o[i] = a > 0 ? a : z;
    }
  } else if (op == 1) {
    for (size_t i = 0; i < n; i++) {
      const float v = xv[i];
      const float st = v > 0 ? 1.0f : alpha;
      o[i] = v != v ? v : st;
    }
  } else {
    for (size_t i = 0; i < n; i++) o[i] = std::floor(xv[i]);
  }
  return nullptr;
}

// sumRows(out, x, rows, len): out[r] = sum of x[r*len .. r*len+len) in double, rounded once (trailing axes);
// sumCols(out, x, rows, len): out[j] = sum over r of x[r*len + j] in double (leading axes).
static napi_value Sum(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 5, "sum needs 5 arguments")) return nullptr;
  bool cols;
  float *out, *x;
  size_t lo, lx;
  int64_t rows, len;
  if (!boolean(env, argv[0], &cols, "columns") || !f32any(env, argv[1], &out, &lo, "out") || !f32any(env, argv[2], &x, &lx, "x") ||
      !i64(env, argv[3], &rows, "rows") || !i64(env, argv[4], &len, "len"))
    return nullptr;
  if (throwIf(env, rows < 0 || len < 0 || (size_t)(rows * len) > lx || lo < (size_t)(cols ? len : rows), "sum: sizes do not match the arrays"))
    return nullptr;
  if (!cols) {
    for (int64_t r = 0; r < rows; r++) {
      double s = 0;
      const float *xr = x + r * len;
      for (int64_t j = 0; j < len; j++) s += xr[j];
      out[r] = (float)s;
    }
  } else {
    std::vector<double> acc(len, 0.0);
    double *__restrict ac = acc.data();
    for (int64_t r = 0; r < rows; r++) {
      const float *__restrict xr = x + r * len;
      for (int64_t j = 0; j < len; j++) ac[j] += xr[j];
    }
    for (int64_t j = 0; j < len; j++) out[j] = (float)ac[j];
  }
  return nullptr;
}

// maxPool(out, x, B, H, W, C, OH, OW, sh, sw, fh, fw) (no padding) and
// maxPoolGrad(dx, x, dy, B, H, W, C, OH, OW, sh, sw, fh, fw, top, left): the first maximum of each window in raster
// order (v > best: a NaN never wins) gets the window's gradient; dx must start at zero.
static bool ints(napi_env env, napi_value *argv, int n, int64_t *out) {
  for (int k = 0; k < n; k++)
    if (!i64(env, argv[k], &out[k], "size")) return false;
  return true;
}

static napi_value MaxPool(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 12, "maxPool needs 12 arguments")) return nullptr;
  float *out, *x;
  size_t lo, lx;
  int64_t v[10];
  if (!f32any(env, argv[0], &out, &lo, "out") || !f32any(env, argv[1], &x, &lx, "x") || !ints(env, argv + 2, 10, v)) return nullptr;
  const int64_t B = v[0], H = v[1], W = v[2], C = v[3], OH = v[4], OW = v[5], sh = v[6], sw = v[7], fh = v[8], fw = v[9];
  if (throwIf(env, (size_t)(B * H * W * C) > lx || (size_t)(B * OH * OW * C) > lo || (OH - 1) * sh + fh > H || (OW - 1) * sw + fw > W,
              "maxPool: sizes do not match the arrays"))
    return nullptr;
  int64_t o = 0;
  for (int64_t b = 0; b < B; b++)
    for (int64_t oy = 0; oy < OH; oy++)
      for (int64_t ox = 0; ox < OW; ox++, o += C) {
        float *__restrict ob = out + o;
        for (int64_t d = 0; d < C; d++) ob[d] = -INFINITY;
        for (int64_t r = 0; r < fh; r++)
          for (int64_t c = 0; c < fw; c++) {
            const float *__restrict xr = x + ((b * H + oy * sh + r) * W + ox * sw + c) * C;
            for (int64_t d = 0; d < C; d++) ob[d] = xr[d] > ob[d] ? xr[d] : ob[d];
          }
      }
  return nullptr;
}

static napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (throwIf(env, argc != 15, "maxPoolGrad needs 15 arguments")) return nullptr;
  float *dx, *x, *dy;
  size_t ldx, lx, ldy;
  int64_t v[12];
  if (!f32any(env, argv[0], &dx, &ldx, "dx") || !f32any(env, argv[1], &x, &lx, "x") || !f32any(env, argv[2], &dy, &ldy, "dy") ||
      !ints(env, argv + 3, 12, v))
    return nullptr;
  const int64_t B = v[0], H = v[1], W = v[2], C = v[3], OH = v[4], OW = v[5], sh = v[6], sw = v[7], fh = v[8], fw = v[9], top = v[10],
                left = v[11];
  if (throwIf(env, (size_t)(B * H * W * C) > lx || ldx < lx || (size_t)(B * OH * OW * C) > ldy, "maxPoolGrad: sizes do not match the arrays"))
    return nullptr;
  std::vector<float> best(C);
  std::vector<int64_t> pos(C);
  for (int64_t b = 0; b < B; b++) {
    const int64_t xb = b * H * W * C;
    for (int64_t oy = 0; oy < OH; oy++) {
      const int64_t r0 = std::max<int64_t>(0, oy * sh - top), r1 = std::min<int64_t>(H, oy * sh - top + fh);
      for (int64_t ox = 0; ox < OW; ox++) {
        const int64_t c0 = std::max<int64_t>(0, ox * sw - left), c1 = std::min<int64_t>(W, ox * sw - left + fw);
        const int64_t go = ((b * OH + oy) * OW + ox) * C;
        std::fill(best.begin(), best.end(), -INFINITY);
        std::fill(pos.begin(), pos.end(), -1);
        for (int64_t r = r0; r < r1; r++)
          for (int64_t c = c0; c < c1; c++) {
            const int64_t p = xb + (r * W + c) * C;
            for (int64_t d = 0; d < C; d++) {
              const float xv = x[p + d];
              const bool gt = xv > best[d];
              best[d] = gt ? xv : best[d];
              pos[d] = gt ? p + d : pos[d];
            }
          }
        for (int64_t d = 0; d < C; d++)
          if (pos[d] >= 0) dx[pos[d]] += dy[go + d];
      }
    }
  }
  return nullptr;
}

// im2col(x, col, batch, inH, inW, inC, outH, outW, fh, fw, sh, sw, padTop, padLeft):
//   col[m, (i*fw + j)*inC + c] = x[b, oy*sh - padTop + i, ox*sw - padLeft + j, c] (0 outside the image);
// col2im(col, dx, same sizes): the adjoint, dx[...] += col[...] in the same order as the JS loop (dx zeroed first).
// (lib/backend/kernels/conv2d_backprop_filter.ts im2col, conv2d_backprop_input.ts col2im; the convolutions of SafeNet.)
struct ColGeom {
  int64_t batch, inH, inW, inC, outH, outW, fh, fw, sh, sw, padTop, padLeft;
};

static bool colArgs(napi_env env, napi_callback_info info, const char *name, float **a, size_t *la, float **b, size_t *lb, ColGeom &g) {
  size_t argc = 14;
  napi_value argv[14];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc != 14) {
    throwIf(env, true, std::string(name) + " needs 14 arguments");
    return false;
  }
  int64_t v[12];
  if (!f32any(env, argv[0], a, la, "first array") || !f32any(env, argv[1], b, lb, "second array") || !ints(env, argv + 2, 12, v)) return false;
  g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  return true;
}

// Visits every (patch row m, filter tap i, j) of the geometry in the JS loops' order: f(colOffset, xOffset), xOffset
// -1 where the tap falls outside the image (padding). im2col and col2im are this walk with a copy or an add.
template <typename F>
static void forEachTap(const ColGeom &g, F f) {
  const int64_t K = g.fh * g.fw * g.inC, rowStride = g.inW * g.inC, imgStride = g.inH * rowStride;
  int64_t m = 0;
  for (int64_t b = 0; b < g.batch; b++) {
    const int64_t xb = b * imgStride;
    for (int64_t oy = 0; oy < g.outH; oy++) {
      const int64_t y0 = oy * g.sh - g.padTop;
      for (int64_t ox = 0; ox < g.outW; ox++, m++) {
        const int64_t x0 = ox * g.sw - g.padLeft;
        int64_t o = m * K;
        for (int64_t i = 0; i < g.fh; i++) {
          const int64_t yy = y0 + i;
          for (int64_t j = 0; j < g.fw; j++, o += g.inC) {
            const int64_t xx = x0 + j;
            f(o, (yy < 0 || yy >= g.inH || xx < 0 || xx >= g.inW) ? (int64_t)-1 : xb + yy * rowStride + xx * g.inC);
          }
        }
      }
    }
  }
}

static bool colSizesOk(napi_env env, const ColGeom &g, size_t lx, size_t lc, const char *what) {
  const int64_t K = g.fh * g.fw * g.inC, imgStride = g.inH * g.inW * g.inC;
  return !throwIf(env, (size_t)(g.batch * imgStride) > lx || (size_t)(g.batch * g.outH * g.outW * K) > lc, what);
}

static napi_value Im2col(napi_env env, napi_callback_info info) {
  float *x, *col;
  size_t lx, lc;
  ColGeom g;
  if (!colArgs(env, info, "im2col", &x, &lx, &col, &lc, g)) return nullptr;
  if (!colSizesOk(env, g, lx, lc, "im2col: sizes do not match the arrays")) return nullptr;
  const size_t n = sizeof(float) * g.inC;
  forEachTap(g, [&](int64_t o, int64_t src) {
    if (src < 0) std::memset(col + o, 0, n);
    else std::memcpy(col + o, x + src, n);
  });
  return nullptr;
}

static napi_value Col2im(napi_env env, napi_callback_info info) {
  float *col, *dx;
  size_t lc, ldx;
  ColGeom g;
  if (!colArgs(env, info, "col2im", &col, &lc, &dx, &ldx, g)) return nullptr;
  if (!colSizesOk(env, g, ldx, lc, "col2im: sizes do not match the arrays")) return nullptr;
  const int64_t C = g.inC;
  forEachTap(g, [&](int64_t o, int64_t dst) {
    if (dst < 0) return;
    float *__restrict d = dx + dst;
    const float *__restrict c = col + o;
    for (int64_t k = 0; k < C; k++) d[k] += c[k];
  });
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
  gLstmThreads = n > 1 ? 2 : 1;
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
      {"lstmForward", nullptr, LstmForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmBackward", nullptr, LstmBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamStep", nullptr, AdamStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sum", nullptr, Sum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, MaxPool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"im2col", nullptr, Im2col, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"col2im", nullptr, Col2im, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return nullptr;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
