;; The quantile sketch's sort of level 0 (see kll.ts, sortPrefix), in WebAssembly: the same
;; algorithm as the JavaScript radix sort there, about twice as fast. `npm run build:wasm` compiles
;; this file into radix-wasm.ts (a test checks the two agree).
;;
;; sort(len) sorts the doubles at VALUES[0, len) ascending (finite values), stably: an LSD radix
;; sort on the high 32 bits of each double (sign, exponent, 20 bits of mantissa), mapped so that
;; their unsigned order is the numbers' order, in passes of 11, 11 and 10 bits (a pass is skipped
;; where every key has the same digit). Then each run of values with equal high words is ordered
;; by insertion when it holds at most 16; a longer run not already in order is left for the caller
;; (it sorts those by their low words) and sort returns 1, else 0.
;;
;; Memory: the digit counts (3 x 2048 i32) at 0, then, for the capacity set by setCapacity(c),
;; VALUES (c f64) at 24576, the spare values (c f64), the keys (c i32) and the spare keys (c i32):
;; 24576 + 24c bytes. The caller grows the memory to fit before setting the capacity.
(module
  (memory (export "memory") 1)
  (global $capacity (mut i32) (i32.const 0))

  (func (export "setCapacity") (param $c i32)
    (global.set $capacity (local.get $c)))

  (func $values (result i32) (i32.const 24576))
  (func $spareValues (result i32)
    (i32.add (i32.const 24576) (i32.shl (global.get $capacity) (i32.const 3))))
  (func $keys (result i32)
    (i32.add (i32.const 24576) (i32.shl (global.get $capacity) (i32.const 4))))
  (func $spareKeys (result i32)
    (i32.add (call $keys) (i32.shl (global.get $capacity) (i32.const 2))))

  (func (export "sort") (param $len i32) (result i32)
    (local $i i32) (local $j i32) (local $key i32) (local $high i32) (local $at i32) (local $c i32)
    (local $pass i32) (local $shift i32) (local $base i32) (local $total i32) (local $swap i32)
    (local $from i32) (local $to i32) (local $fromKeys i32) (local $toKeys i32)
    (local $start i32) (local $end i32) (local $long i32) (local $v f64)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 24576))
    (local.set $from (call $values))
    (local.set $to (call $spareValues))
    (local.set $fromKeys (call $keys))
    (local.set $toKeys (call $spareKeys))

    ;; Keys (negative numbers: every bit flipped; others: the sign bit set) and all three digits' counts.
    (block $keysDone
      (loop $keysLoop
        (br_if $keysDone (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $high (i32.load offset=4 (i32.add (local.get $from) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $key
          (i32.xor (local.get $high) (i32.or (i32.shr_s (local.get $high) (i32.const 31)) (i32.const 0x80000000))))
        (i32.store (i32.add (local.get $fromKeys) (i32.shl (local.get $i) (i32.const 2))) (local.get $key))
        ;; counts[digit] += 1 for each digit (written out: calls are not inlined).
        (local.set $at (i32.shl (i32.and (local.get $key) (i32.const 0x7ff)) (i32.const 2)))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at
          (i32.shl (i32.add (i32.const 2048) (i32.and (i32.shr_u (local.get $key) (i32.const 11)) (i32.const 0x7ff))) (i32.const 2)))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.shl (i32.add (i32.const 4096) (i32.shr_u (local.get $key) (i32.const 22))) (i32.const 2)))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $keysLoop)))

    ;; Three passes, lowest digit first; each moves the values and their keys to the other side.
    (block $passesDone
      (loop $passLoop
        (br_if $passesDone (i32.ge_u (local.get $pass) (i32.const 3)))
        (local.set $shift (i32.mul (local.get $pass) (i32.const 11)))
        (local.set $base (i32.mul (local.get $pass) (i32.const 2048)))
        (if (i32.ne
              (i32.load (i32.shl
                (i32.add (local.get $base)
                  (i32.and (i32.shr_u (i32.load (local.get $fromKeys)) (local.get $shift)) (i32.const 0x7ff)))
                (i32.const 2)))
              (local.get $len))
          (then
            ;; Counts to starting offsets.
            (local.set $total (i32.const 0))
            (local.set $j (local.get $base))
            (block $prefixDone
              (loop $prefixLoop
                (br_if $prefixDone (i32.ge_u (local.get $j) (i32.add (local.get $base) (i32.const 2048))))
                (local.set $at (i32.shl (local.get $j) (i32.const 2)))
                (local.set $c (i32.load (local.get $at)))
                (i32.store (local.get $at) (local.get $total))
                (local.set $total (i32.add (local.get $total) (local.get $c)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $prefixLoop)))
            (local.set $i (i32.const 0))
            (block $scatterDone
              (loop $scatterLoop
                (br_if $scatterDone (i32.ge_u (local.get $i) (local.get $len)))
                (local.set $key (i32.load (i32.add (local.get $fromKeys) (i32.shl (local.get $i) (i32.const 2)))))
                (local.set $c
                  (i32.shl
                    (i32.add (local.get $base) (i32.and (i32.shr_u (local.get $key) (local.get $shift)) (i32.const 0x7ff)))
                    (i32.const 2)))
                (local.set $at (i32.load (local.get $c)))
                (i32.store (local.get $c) (i32.add (local.get $at) (i32.const 1)))
                (i32.store (i32.add (local.get $toKeys) (i32.shl (local.get $at) (i32.const 2))) (local.get $key))
                (f64.store (i32.add (local.get $to) (i32.shl (local.get $at) (i32.const 3)))
                  (f64.load (i32.add (local.get $from) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $scatterLoop)))
            (local.set $swap (local.get $from))
            (local.set $from (local.get $to))
            (local.set $to (local.get $swap))
            (local.set $swap (local.get $fromKeys))
            (local.set $fromKeys (local.get $toKeys))
            (local.set $toKeys (local.get $swap))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $passLoop)))

    ;; Runs of equal high words: insertion sort up to 16 values, else left (and reported).
    (local.set $i (i32.const 1))
    (block $runsDone
      (loop $runsLoop
        (br_if $runsDone (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $key (i32.load (i32.add (local.get $fromKeys) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.eq (local.get $key)
              (i32.load (i32.add (local.get $fromKeys) (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))))
          (then
            (local.set $start (i32.sub (local.get $i) (i32.const 1)))
            (local.set $end (i32.add (local.get $i) (i32.const 1)))
            (block $endFound
              (loop $endLoop
                (br_if $endFound (i32.ge_u (local.get $end) (local.get $len)))
                (br_if $endFound
                  (i32.ne (i32.load (i32.add (local.get $fromKeys) (i32.shl (local.get $end) (i32.const 2)))) (local.get $key)))
                (local.set $end (i32.add (local.get $end) (i32.const 1)))
                (br $endLoop)))
            (if (i32.gt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16))
              (then
                ;; Left for the caller unless already in order (as a run of one value repeated is).
                (local.set $j (i32.add (local.get $start) (i32.const 1)))
                (block $checked
                  (loop $orderLoop
                    (br_if $checked (i32.ge_u (local.get $j) (local.get $end)))
                    (if (f64.gt
                          (f64.load (i32.add (local.get $from) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 3))))
                          (f64.load (i32.add (local.get $from) (i32.shl (local.get $j) (i32.const 3)))))
                      (then
                        (local.set $long (i32.const 1))
                        (br $checked)))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $orderLoop))))
              (else
                (local.set $j (i32.add (local.get $start) (i32.const 1)))
                (block $insertDone
                  (loop $insertLoop
                    (br_if $insertDone (i32.ge_u (local.get $j) (local.get $end)))
                    (local.set $v (f64.load (i32.add (local.get $from) (i32.shl (local.get $j) (i32.const 3)))))
                    (local.set $at (i32.sub (local.get $j) (i32.const 1)))
                    (block $placed
                      (loop $shiftLoop
                        (br_if $placed (i32.lt_s (local.get $at) (local.get $start)))
                        (br_if $placed
                          (i32.eqz (f64.gt (f64.load (i32.add (local.get $from) (i32.shl (local.get $at) (i32.const 3)))) (local.get $v))))
                        (f64.store (i32.add (local.get $from) (i32.shl (i32.add (local.get $at) (i32.const 1)) (i32.const 3)))
                          (f64.load (i32.add (local.get $from) (i32.shl (local.get $at) (i32.const 3)))))
                        (local.set $at (i32.sub (local.get $at) (i32.const 1)))
                        (br $shiftLoop)))
                    (f64.store (i32.add (local.get $from) (i32.shl (i32.add (local.get $at) (i32.const 1)) (i32.const 3))) (local.get $v))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $insertLoop)))))
            (local.set $i (local.get $end))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $runsLoop)))

    ;; The sorted values end where they started.
    (if (i32.ne (local.get $from) (call $values))
      (then (memory.copy (call $values) (local.get $from) (i32.shl (local.get $len) (i32.const 3)))))
    (local.get $long))
)
