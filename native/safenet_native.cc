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
  std::vector<float> zeros(U, 0.0f);
  for (int64_t k = 0; k < nDir; k++) {
    const bool rev = k == 1;
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
  }
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
  std::vector<float> dz(B * T * G), hPrev(B * T * U), dh(B * U), dc(B * U), zeros(U, 0.0f);
  for (int64_t k = 0; k < nDir; k++) {
    const bool rev = k == 1;
    std::fill(dh.begin(), dh.end(), 0.0f);
    std::fill(dc.begin(), dc.end(), 0.0f);
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
      lstmGatesBackward(gates[k] + t * G, T * G, cs[k] + t * U, s > 0 ? cs[k] + tp * U : zeros.data(), s > 0 ? T * U : 0, T * U, dh.data(), dc.data(),
                        dz.data() + t * G, B, U);
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
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BT, (int)D, (int)G, 1.0f, dz.data(), (int)G, W[k], (int)G, k > 0 ? 1.0f : 0.0f, dx, (int)D);
    float *dbk = db[k];
    std::memset(dbk, 0, sizeof(float) * G);
    for (int64_t r = 0; r < B * T; r++) {
      const float *zr = dz.data() + r * G;
      for (int64_t j = 0; j < G; j++) dbk[j] += zr[j];
    }
  }
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
      {"lstmForward", nullptr, LstmForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmBackward", nullptr, LstmBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamStep", nullptr, AdamStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return nullptr;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
