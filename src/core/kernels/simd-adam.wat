;; Adam's update over float32 arrays in the tfjs wasm backend's own memory, four lanes at a time
;; (WebAssembly SIMD): one pass writes the new weight and both new moments.
;;
;;   adam(w, g, m, v, wOut, mOut, vOut, bytes, beta1, 1-beta1, beta2, 1-beta2, lr/c1, 1/c2, eps)
;;
;; The first seven arguments are byte offsets into the imported memory; `bytes` is how many bytes of
;; each array to process (a multiple of 16: the caller finishes the last 0-3 elements). Per element:
;;   m' = beta1·m + (1-beta1)·g,   v' = beta2·v + (1-beta2)·g²,
;;   w' = w − (lr/c1)·m' / (√(v'·(1/c2)) + eps)          (c1, c2: Adam's bias corrections)
;;
;; Assembled by scripts/assemble-wat.ts into simd-adam.wasm.ts, once as written and once with the
;; memory import below made shared (for threaded tfjs builds); simd-adam.test.ts checks both.
;; Loads and stores say align=1: tensors in the heap are only sure to be 4-byte aligned.
(module
  ;; Minimum 0 pages, so that any memory of the backend's fits; tfjs's plain memory has no maximum.
  (import "env" "memory" (memory 0))
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $wOut i32) (param $mOut i32) (param $vOut i32) (param $bytes i32)
    (param $beta1 f32) (param $keep1 f32) (param $beta2 f32) (param $keep2 f32)
    (param $step f32) (param $unbias2 f32) (param $eps f32)
    ;; The byte index, then the scalar arguments splatted to four lanes, then g, m', v'.
    (local $i i32)
    (local $B1 v128) (local $K1 v128) (local $B2 v128) (local $K2 v128)
    (local $STEP v128) (local $UNBIAS2 v128) (local $EPS v128)
    (local $G v128) (local $M v128) (local $V v128)
    (local.set $B1 (f32x4.splat (local.get $beta1)))
    (local.set $K1 (f32x4.splat (local.get $keep1)))
    (local.set $B2 (f32x4.splat (local.get $beta2)))
    (local.set $K2 (f32x4.splat (local.get $keep2)))
    (local.set $STEP (f32x4.splat (local.get $step)))
    (local.set $UNBIAS2 (f32x4.splat (local.get $unbias2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $G (v128.load align=1 (i32.add (local.get $g) (local.get $i))))
        ;; m' = beta1·m + (1-beta1)·g
        (local.set $M
          (f32x4.add
            (f32x4.mul (v128.load align=1 (i32.add (local.get $m) (local.get $i))) (local.get $B1))
            (f32x4.mul (local.get $G) (local.get $K1))))
        ;; v' = beta2·v + (1-beta2)·g²
        (local.set $V
          (f32x4.add
            (f32x4.mul (v128.load align=1 (i32.add (local.get $v) (local.get $i))) (local.get $B2))
            (f32x4.mul (f32x4.mul (local.get $G) (local.get $G)) (local.get $K2))))
        (v128.store align=1 (i32.add (local.get $mOut) (local.get $i)) (local.get $M))
        (v128.store align=1 (i32.add (local.get $vOut) (local.get $i)) (local.get $V))
        ;; w' = w − step·m' / (√(v'·unbias2) + eps)
        (v128.store align=1 (i32.add (local.get $wOut) (local.get $i))
          (f32x4.sub
            (v128.load align=1 (i32.add (local.get $w) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $STEP) (local.get $M))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $V) (local.get $UNBIAS2))) (local.get $EPS)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))))
