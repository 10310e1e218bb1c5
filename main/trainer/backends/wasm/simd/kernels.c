// SIMD training kernels for tfjs's wasm backend. Built by scripts/build-wasm-kernels.sh into
// kernels.wasm (SIMD128) and kernels-relaxed.wasm (relaxed SIMD: fused multiply-add), which
// import tfjs-backend-wasm's own memory: every pointer below is a byte offset into that heap
// (tensors are used in place, nothing is copied). The functions use no stack and no static data,
// so nothing of this module lives in the shared heap.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// acc + x·y. The relaxed-SIMD build (-mrelaxed-simd → kernels-relaxed.wasm) uses
// f32x4.relaxed_madd, which V8 lowers to one fused multiply-add where the CPU has FMA: twice the
// arithmetic per instruction of the SIMD128 build's separate multiply and add. Relaxed madd may
// round once (fused) or twice (unfused) depending on the CPU; either is within the kernels'
// tolerance against tfjs's cpu backend.
#ifdef __wasm_relaxed_simd__
#define MADD(acc, x, y) wasm_f32x4_relaxed_madd((x), (y), (acc))
#else
#define MADD(acc, x, y) wasm_f32x4_add((acc), wasm_f32x4_mul((x), (y)))
#endif

static void zero(float* p, int n) { __builtin_memset(p, 0, (unsigned long)n * sizeof(float)); }

// dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·sh+kh−pt, ow·sw+kw−pl, ci] · dy[n,oh,ow,co]
// (NHWC x and dy, HWIO dW). Requires cout % 8 == 0. Tiles of 4 input channels × 8 output
// channels are accumulated in registers along one output row, so every x and dy value read
// comes from an L1-resident row.
EXPORT(conv2d_backprop_filter)
void conv2d_backprop_filter(const float* x, const float* dy, float* dw, int n, int h, int w, int cin,
                            int oh_n, int ow_n, int cout, int fh, int fw, int sh, int sw, int pt, int pl) {
  zero(dw, fh * fw * cin * cout);
  for (int b = 0; b < n; b++) {
    for (int oh = 0; oh < oh_n; oh++) {
      const float* dyrow = dy + ((long)(b * oh_n + oh) * ow_n) * cout;
      for (int kh = 0; kh < fh; kh++) {
        int ih = oh * sh + kh - pt;
        if (ih < 0 || ih >= h) continue;
        const float* xrow = x + ((long)(b * h + ih) * w) * cin;
        for (int kw = 0; kw < fw; kw++) {
          // ow range whose input column iw = ow·sw + kw − pl lies inside the image.
          int lo = 0;
          while (lo < ow_n && lo * sw + kw - pl < 0) lo++;
          int hi = ow_n;
          while (hi > lo && (hi - 1) * sw + kw - pl >= w) hi--;
          if (lo >= hi) continue;
          float* dwtap = dw + (long)(kh * fw + kw) * cin * cout;
          for (int ci = 0; ci < cin; ci += 4) {
            int nk = cin - ci < 4 ? cin - ci : 4;
            for (int co = 0; co < cout; co += 8) {
              float* t0 = dwtap + (long)ci * cout + co;
              v128_t a00 = wasm_v128_load(t0), a01 = wasm_v128_load(t0 + 4);
              v128_t a10 = wasm_f32x4_splat(0), a11 = a10, a20 = a10, a21 = a10, a30 = a10, a31 = a10;
              if (nk > 1) { a10 = wasm_v128_load(t0 + cout); a11 = wasm_v128_load(t0 + cout + 4); }
              if (nk > 2) { a20 = wasm_v128_load(t0 + 2 * cout); a21 = wasm_v128_load(t0 + 2 * cout + 4); }
              if (nk > 3) { a30 = wasm_v128_load(t0 + 3 * cout); a31 = wasm_v128_load(t0 + 3 * cout + 4); }
              if (nk == 4) {
                for (int ow = lo; ow < hi; ow++) {
                  const float* xp = xrow + (long)(ow * sw + kw - pl) * cin + ci;
                  const float* dp = dyrow + (long)ow * cout + co;
                  v128_t d0 = wasm_v128_load(dp), d1 = wasm_v128_load(dp + 4);
                  v128_t x0 = wasm_v128_load32_splat(xp), x1 = wasm_v128_load32_splat(xp + 1);
                  v128_t x2 = wasm_v128_load32_splat(xp + 2), x3 = wasm_v128_load32_splat(xp + 3);
                  a00 = MADD(a00, x0, d0); a01 = MADD(a01, x0, d1);
                  a10 = MADD(a10, x1, d0); a11 = MADD(a11, x1, d1);
                  a20 = MADD(a20, x2, d0); a21 = MADD(a21, x2, d1);
                  a30 = MADD(a30, x3, d0); a31 = MADD(a31, x3, d1);
                }
              } else {
                for (int ow = lo; ow < hi; ow++) {
                  const float* xp = xrow + (long)(ow * sw + kw - pl) * cin + ci;
                  const float* dp = dyrow + (long)ow * cout + co;
                  v128_t d0 = wasm_v128_load(dp), d1 = wasm_v128_load(dp + 4);
                  v128_t x0 = wasm_v128_load32_splat(xp);
                  a00 = MADD(a00, x0, d0); a01 = MADD(a01, x0, d1);
                  if (nk > 1) { v128_t x1 = wasm_v128_load32_splat(xp + 1); a10 = MADD(a10, x1, d0); a11 = MADD(a11, x1, d1); }
                  if (nk > 2) { v128_t x2 = wasm_v128_load32_splat(xp + 2); a20 = MADD(a20, x2, d0); a21 = MADD(a21, x2, d1); }
                }
              }
              wasm_v128_store(t0, a00); wasm_v128_store(t0 + 4, a01);
              if (nk > 1) { wasm_v128_store(t0 + cout, a10); wasm_v128_store(t0 + cout + 4, a11); }
              if (nk > 2) { wasm_v128_store(t0 + 2 * cout, a20); wasm_v128_store(t0 + 2 * cout + 4, a21); }
              if (nk > 3) { wasm_v128_store(t0 + 3 * cout, a30); wasm_v128_store(t0 + 3 * cout + 4, a31); }
            }
          }
        }
      }
    }
  }
}

// Max-pool gradient (NHWC): each output's dy goes to the first maximum of its window in
// row-major window order, as tfjs's cpu backend does (ties are common after ReLU). Four
// channels at a time: a strict greater-than keeps the first maximum per lane.
EXPORT(max_pool_grad)
void max_pool_grad(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int oh_n, int ow_n,
                   int fh, int fw, int sh, int sw, int pt, int pl) {
  zero(dx, n * h * w * c);
  for (int b = 0; b < n; b++) {
    for (int oh = 0; oh < oh_n; oh++) {
      int kh0 = pt - oh * sh > 0 ? pt - oh * sh : 0;
      int kh1 = h + pt - oh * sh < fh ? h + pt - oh * sh : fh;
      for (int ow = 0; ow < ow_n; ow++) {
        int kw0 = pl - ow * sw > 0 ? pl - ow * sw : 0;
        int kw1 = w + pl - ow * sw < fw ? w + pl - ow * sw : fw;
        if (kh0 >= kh1 || kw0 >= kw1) continue;
        const float* g = dy + (((long)b * oh_n + oh) * ow_n + ow) * c;
        // Offset (in elements) of the window's first valid pixel, channel 0.
        int first = (((b * h + oh * sh + kh0 - pt) * w) + ow * sw + kw0 - pl) * c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          v128_t best = wasm_v128_load(x + first + ch);
          v128_t at = wasm_i32x4_splat(first);
          for (int kh = kh0; kh < kh1; kh++) {
            for (int kw = kw0; kw < kw1; kw++) {
              int off = (((b * h + oh * sh + kh - pt) * w) + ow * sw + kw - pl) * c;
              v128_t v = wasm_v128_load(x + off + ch);
              v128_t gt = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, gt);
              at = wasm_v128_bitselect(wasm_i32x4_splat(off), at, gt);
            }
          }
          dx[wasm_i32x4_extract_lane(at, 0) + ch] += g[ch];
          dx[wasm_i32x4_extract_lane(at, 1) + ch + 1] += g[ch + 1];
          dx[wasm_i32x4_extract_lane(at, 2) + ch + 2] += g[ch + 2];
          dx[wasm_i32x4_extract_lane(at, 3) + ch + 3] += g[ch + 3];
        }
        for (; ch < c; ch++) {
          float best = x[first + ch];
          int at = first;
          for (int kh = kh0; kh < kh1; kh++) {
            for (int kw = kw0; kw < kw1; kw++) {
              int off = (((b * h + oh * sh + kh - pt) * w) + ow * sw + kw - pl) * c;
              if (x[off + ch] > best) { best = x[off + ch]; at = off; }
            }
          }
          dx[at + ch] += g[ch];
        }
      }
    }
  }
}

// out[j] = Σ_i x[i·cols + j]: the sum over all leading axes. Rows are summed in float32 blocks of
// 64 and the block sums in float64, so long sums (65 536 rows) keep float32 accuracy.
EXPORT(sum_rows)
void sum_rows(const float* x, float* out, double* acc, int rows, int cols) {
  for (int j = 0; j < cols; j++) acc[j] = 0;
  for (int i0 = 0; i0 < rows; i0 += 64) {
    int i1 = i0 + 64 < rows ? i0 + 64 : rows;
    int j = 0;
    for (; j + 4 <= cols; j += 4) {
      v128_t s = wasm_f32x4_splat(0);
      for (int i = i0; i < i1; i++) s = wasm_f32x4_add(s, wasm_v128_load(x + (long)i * cols + j));
      v128_t lo = wasm_f64x2_promote_low_f32x4(s);
      v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
      wasm_v128_store(acc + j, wasm_f64x2_add(wasm_v128_load(acc + j), lo));
      wasm_v128_store(acc + j + 2, wasm_f64x2_add(wasm_v128_load(acc + j + 2), hi));
    }
    for (; j < cols; j++) {
      float s = 0;
      for (int i = i0; i < i1; i++) s += x[(long)i * cols + j];
      acc[j] += s;
    }
  }
  for (int j = 0; j < cols; j++) out[j] = (float)acc[j];
}

// dx of a convolution (NHWC dy, HWIO w), any stride and padding, in scatter form: every dy pixel
// adds w[kh,kw]·dy[pixel] to the input pixel each tap reads. wt is scratch for the filter with
// its two channel axes swapped ([fh,fw,cout,cin]), so the inner loop reads contiguous input
// channels. Requires cin % 8 == 0. Four neighbouring dy pixels × 8 input channels per tile: eight
// independent accumulators (enough to hide the add / fused multiply-add latency), two filter
// vectors and one splat, which fits V8's 16 vector registers; each filter load serves 4 pixels.
EXPORT(conv2d_backprop_input)
void conv2d_backprop_input(const float* dy, const float* wgt, float* dx, float* wt, int n, int h, int w, int cin,
                           int oh_n, int ow_n, int cout, int fh, int fw, int sh, int sw, int pt, int pl) {
  for (int t = 0; t < fh * fw; t++)
    for (int ci = 0; ci < cin; ci++)
      for (int co = 0; co < cout; co++) wt[((long)t * cout + co) * cin + ci] = wgt[((long)t * cin + ci) * cout + co];
  zero(dx, n * h * w * cin);
  for (int b = 0; b < n; b++) {
    for (int oh = 0; oh < oh_n; oh++) {
      for (int ow = 0; ow < ow_n; ow += 4) {
        const float* g0 = dy + (((long)b * oh_n + oh) * ow_n + ow) * cout;
        int count = ow_n - ow < 4 ? ow_n - ow : 4;
        for (int kh = 0; kh < fh; kh++) {
          int ih = oh * sh + kh - pt;
          if (ih < 0 || ih >= h) continue;
          float* row = dx + ((long)b * h + ih) * w * cin;
          for (int kw = 0; kw < fw; kw++) {
            int iw0 = ow * sw + kw - pl;
            const float* tap = wt + (long)(kh * fw + kw) * cout * cin;
            if (count == 4 && iw0 >= 0 && iw0 + 3 * sw < w) {
              const float* g1 = g0 + cout;
              const float* g2 = g1 + cout;
              const float* g3 = g2 + cout;
              float* p0 = row + (long)iw0 * cin;
              float* p1 = p0 + (long)sw * cin;
              float* p2 = p1 + (long)sw * cin;
              float* p3 = p2 + (long)sw * cin;
              for (int ci = 0; ci < cin; ci += 8) {
                v128_t a00 = wasm_v128_load(p0 + ci), a01 = wasm_v128_load(p0 + ci + 4);
                v128_t a10 = wasm_v128_load(p1 + ci), a11 = wasm_v128_load(p1 + ci + 4);
                v128_t a20 = wasm_v128_load(p2 + ci), a21 = wasm_v128_load(p2 + ci + 4);
                v128_t a30 = wasm_v128_load(p3 + ci), a31 = wasm_v128_load(p3 + ci + 4);
                const float* wp = tap + ci;
                for (int co = 0; co < cout; co++, wp += cin) {
                  v128_t w0 = wasm_v128_load(wp), w1 = wasm_v128_load(wp + 4);
                  v128_t d = wasm_f32x4_splat(g0[co]);
                  a00 = MADD(a00, d, w0); a01 = MADD(a01, d, w1);
                  d = wasm_f32x4_splat(g1[co]);
                  a10 = MADD(a10, d, w0); a11 = MADD(a11, d, w1);
                  d = wasm_f32x4_splat(g2[co]);
                  a20 = MADD(a20, d, w0); a21 = MADD(a21, d, w1);
                  d = wasm_f32x4_splat(g3[co]);
                  a30 = MADD(a30, d, w0); a31 = MADD(a31, d, w1);
                }
                wasm_v128_store(p0 + ci, a00); wasm_v128_store(p0 + ci + 4, a01);
                wasm_v128_store(p1 + ci, a10); wasm_v128_store(p1 + ci + 4, a11);
                wasm_v128_store(p2 + ci, a20); wasm_v128_store(p2 + ci + 4, a21);
                wasm_v128_store(p3 + ci, a30); wasm_v128_store(p3 + ci + 4, a31);
              }
              continue;
            }
            // Image borders and the last pixels of a row: one pixel at a time.
            for (int j = 0; j < count; j++) {
              int iw = iw0 + j * sw;
              if (iw < 0 || iw >= w) continue;
              float* p = row + (long)iw * cin;
              const float* g = g0 + (long)j * cout;
              for (int ci = 0; ci < cin; ci += 8) {
                v128_t a0 = wasm_v128_load(p + ci), a1 = wasm_v128_load(p + ci + 4);
                const float* wp = tap + ci;
                for (int co = 0; co < cout; co++, wp += cin) {
                  v128_t d = wasm_f32x4_splat(g[co]);
                  a0 = MADD(a0, d, wasm_v128_load(wp));
                  a1 = MADD(a1, d, wasm_v128_load(wp + 4));
                }
                wasm_v128_store(p + ci, a0); wasm_v128_store(p + ci + 4, a1);
              }
            }
          }
        }
      }
    }
  }
}

// dst[b][j][i] = src[b][i][j] for `batch` row-major rows×cols matrices, in 4×4 blocks
// transposed in registers (the stock kernel walks the output element by element).
EXPORT(transpose_2d)
void transpose_2d(const float* src, float* dst, int batch, int rows, int cols) {
  for (int b = 0; b < batch; b++) {
    const float* s = src + (long)b * rows * cols;
    float* d = dst + (long)b * rows * cols;
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      int j = 0;
      for (; j + 4 <= cols; j += 4) {
        v128_t r0 = wasm_v128_load(s + (long)i * cols + j), r1 = wasm_v128_load(s + (long)(i + 1) * cols + j);
        v128_t r2 = wasm_v128_load(s + (long)(i + 2) * cols + j), r3 = wasm_v128_load(s + (long)(i + 3) * cols + j);
        v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
        v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
        wasm_v128_store(d + (long)j * rows + i, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
        wasm_v128_store(d + (long)(j + 1) * rows + i, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
        wasm_v128_store(d + (long)(j + 2) * rows + i, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
        wasm_v128_store(d + (long)(j + 3) * rows + i, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
      }
      for (; j < cols; j++)
        for (int k = i; k < i + 4; k++) d[(long)j * rows + k] = s[(long)k * cols + j];
    }
    for (; i < rows; i++)
      for (int j = 0; j < cols; j++) d[(long)j * rows + i] = s[(long)i * cols + j];
  }
}
