;; Parquet page decoding in WebAssembly, for the pages most files are made of (parquet.ts,
;; ColumnCursor): snappy decompression, definition levels of a flat column, and PLAIN doubles and
;; integers spread out to one kind and one number a row. The same results as the TypeScript
;; decoders beside it (hyparquet's for levels), which read every other page.
;; `npm run build:wasm` compiles this file into pages-wasm.ts (a test checks the two agree).
;;
;; Memory: BITS (256 x 8 bytes at 0: byte b's bits, one a byte, lowest first), then whatever the
;; caller lays out past 2048, growing the memory to fit: each function takes the offsets of what it
;; reads and writes. Writers may write up to 16 bytes past the end of their output (the caller
;; leaves that room); readers read no byte past the end they are given, except snappy, which may
;; read up to 16 bytes past its input (the caller lays the output out after it).
(module
  (memory (export "memory") 1)
  ;; The kinds written (values.ts Kind), set once by setCodes.
  (global $null (mut i32) (i32.const 0))
  (global $integer (mut i32) (i32.const 0))
  (global $number (mut i32) (i32.const 0))
  (global $nan (mut i32) (i32.const 0))
  (global $infinity (mut i32) (i32.const 0))

  (func (export "setCodes") (param $null i32) (param $integer i32) (param $number i32) (param $nan i32) (param $infinity i32)
    (local $b i32) (local $k i32)
    (global.set $null (local.get $null))
    (global.set $integer (local.get $integer))
    (global.set $number (local.get $number))
    (global.set $nan (local.get $nan))
    (global.set $infinity (local.get $infinity))
    ;; BITS[b * 8 + k] = (b >> k) & 1
    (loop $bytes
      (local.set $k (i32.const 0))
      (loop $bits
        (i32.store8
          (i32.add (i32.shl (local.get $b) (i32.const 3)) (local.get $k))
          (i32.and (i32.shr_u (local.get $b) (local.get $k)) (i32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $bits (i32.lt_u (local.get $k) (i32.const 8))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $bytes (i32.lt_u (local.get $b) (i32.const 256)))))

  ;; snappy(src, srcLen, dst, dstLen): decompresses the snappy block [src, src + srcLen) into
  ;; [dst, dst + dstLen). Returns 0, or when the block is not one of dstLen bytes: -1 (its length
  ;; preamble is bad or says another length), -2 (a copy reaches before the output's start),
  ;; -3 (the input ends inside an element, or the elements make more or fewer bytes).
  (func (export "snappy") (param $src i32) (param $srcLen i32) (param $dst i32) (param $dstLen i32) (result i32)
    (local $ip i32) (local $ipEnd i32) (local $op i32) (local $opEnd i32) (local $len i32)
    (local $shift i32) (local $b i32) (local $tag i32) (local $offset i32) (local $from i32) (local $n i32)
    (local.set $ip (local.get $src))
    (local.set $ipEnd (i32.add (local.get $src) (local.get $srcLen)))
    ;; The preamble: the output's length as a varint of at most 5 bytes.
    (loop $preamble
      (if (i32.ge_u (local.get $ip) (local.get $ipEnd)) (then (return (i32.const -1))))
      (if (i32.gt_u (local.get $shift) (i32.const 28)) (then (return (i32.const -1))))
      (local.set $b (i32.load8_u (local.get $ip)))
      (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
      (local.set $len
        (i32.or (local.get $len) (i32.shl (i32.and (local.get $b) (i32.const 127)) (local.get $shift))))
      (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
      (br_if $preamble (i32.and (local.get $b) (i32.const 128))))
    (if (i32.ne (local.get $len) (local.get $dstLen)) (then (return (i32.const -1))))
    (local.set $op (local.get $dst))
    (local.set $opEnd (i32.add (local.get $dst) (local.get $dstLen)))
    (block $done
      (loop $elements
        (br_if $done (i32.ge_u (local.get $ip) (local.get $ipEnd)))
        (local.set $tag (i32.load8_u (local.get $ip)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (block $copy
          (block $copy4
            (block $copy2
              (block $copy1
                (block $literal
                  (br_table $literal $copy1 $copy2 $copy4 (i32.and (local.get $tag) (i32.const 3))))
                ;; A literal: its length less one in the tag's top 6 bits, or (60..63) in the next 1-4 bytes.
                (local.set $len (i32.shr_u (local.get $tag) (i32.const 2)))
                (if (i32.ge_u (local.get $len) (i32.const 60))
                  (then
                    (local.set $n (i32.sub (local.get $len) (i32.const 59)))
                    (if (i32.gt_u (i32.add (local.get $ip) (local.get $n)) (local.get $ipEnd)) (then (return (i32.const -3))))
                    (local.set $len
                      (i32.and
                        (i32.load (local.get $ip))
                        (i32.shr_u (i32.const -1) (i32.sub (i32.const 32) (i32.shl (local.get $n) (i32.const 3))))))
                    (local.set $ip (i32.add (local.get $ip) (local.get $n)))))
                (local.set $len (i32.add (local.get $len) (i32.const 1)))
                ;; Lengths are unsigned: a length past 2^31 (or 0 after the one added) is past either end.
                (if (i32.or
                      (i32.gt_u (local.get $len) (i32.sub (local.get $ipEnd) (local.get $ip)))
                      (i32.gt_u (local.get $len) (i32.sub (local.get $opEnd) (local.get $op))))
                  (then (return (i32.const -3))))
                (if (i32.le_u (local.get $len) (i32.const 16))
                  (then
                    (i64.store (local.get $op) (i64.load (local.get $ip)))
                    (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $ip))))
                  (else (memory.copy (local.get $op) (local.get $ip) (local.get $len))))
                (local.set $op (i32.add (local.get $op) (local.get $len)))
                (local.set $ip (i32.add (local.get $ip) (local.get $len)))
                (br $elements))
              ;; A copy with a 1-byte offset: length 4-11, offset 11 bits.
              (if (i32.ge_u (local.get $ip) (local.get $ipEnd)) (then (return (i32.const -3))))
              (local.set $len (i32.add (i32.const 4) (i32.and (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 7))))
              (local.set $offset
                (i32.or (i32.shl (i32.shr_u (local.get $tag) (i32.const 5)) (i32.const 8)) (i32.load8_u (local.get $ip))))
              (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
              (br $copy))
            ;; A copy with a 2-byte offset: length 1-64.
            (if (i32.gt_u (i32.add (local.get $ip) (i32.const 2)) (local.get $ipEnd)) (then (return (i32.const -3))))
            (local.set $len (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
            (local.set $offset (i32.load16_u (local.get $ip)))
            (local.set $ip (i32.add (local.get $ip) (i32.const 2)))
            (br $copy))
          ;; A copy with a 4-byte offset: length 1-64.
          (if (i32.gt_u (i32.add (local.get $ip) (i32.const 4)) (local.get $ipEnd)) (then (return (i32.const -3))))
          (local.set $len (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
          (local.set $offset (i32.load (local.get $ip)))
          (local.set $ip (i32.add (local.get $ip) (i32.const 4))))
        ;; A copy of len bytes from offset bytes back, each byte after the one before (they may overlap).
        (if (i32.or
              (i32.eqz (local.get $offset))
              (i32.gt_u (local.get $offset) (i32.sub (local.get $op) (local.get $dst))))
          (then (return (i32.const -2))))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $opEnd) (local.get $op))) (then (return (i32.const -3))))
        (local.set $from (i32.sub (local.get $op) (local.get $offset)))
        (if (i32.and (i32.ge_u (local.get $offset) (i32.const 8)) (i32.le_u (local.get $len) (i32.const 16)))
          (then
            ;; The second 8 bytes are read after the first are written: right when they overlap.
            (i64.store (local.get $op) (i64.load (local.get $from)))
            (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $from))))
          (else
            (if (i32.ge_u (local.get $offset) (local.get $len))
              (then (memory.copy (local.get $op) (local.get $from) (local.get $len)))
              (else
                (local.set $n (i32.const 0))
                (loop $bytes
                  (i32.store8 (i32.add (local.get $op) (local.get $n)) (i32.load8_u (i32.add (local.get $from) (local.get $n))))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br_if $bytes (i32.lt_u (local.get $n) (local.get $len))))))))
        (local.set $op (i32.add (local.get $op) (local.get $len)))
        (br $elements)))
    (if (i32.ne (local.get $op) (local.get $opEnd)) (then (return (i32.const -3))))
    (i32.const 0))

  ;; levels(src, end, rows, dst): the definition levels of a flat optional column, bit width 1,
  ;; RLE/bit-packed hybrid encoded in [src, end), as one byte a row (1 where the row holds a value)
  ;; into [dst, dst + rows). Runs past the last row are cut. Returns the rows holding a value, or
  ;; -1 when the levels end before the last row or hold a level above 1.
  (func (export "levels") (param $src i32) (param $end i32) (param $rows i32) (param $dst i32) (result i32)
    (local $seen i32) (local $ones i32) (local $header i32) (local $shift i32) (local $b i32)
    (local $count i32) (local $n i32) (local $groupsEnd i32)
    (block $done
      (loop $runs
        (br_if $done (i32.ge_u (local.get $seen) (local.get $rows)))
        ;; The run's header: a varint of at most 5 bytes.
        (local.set $header (i32.const 0))
        (local.set $shift (i32.const 0))
        (loop $varint
          (if (i32.ge_u (local.get $src) (local.get $end)) (then (return (i32.const -1))))
          (if (i32.gt_u (local.get $shift) (i32.const 28)) (then (return (i32.const -1))))
          (local.set $b (i32.load8_u (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 1)))
          (local.set $header
            (i32.or (local.get $header) (i32.shl (i32.and (local.get $b) (i32.const 127)) (local.get $shift))))
          (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
          (br_if $varint (i32.and (local.get $b) (i32.const 128))))
        (local.set $count (i32.shr_u (local.get $header) (i32.const 1)))
        (if (i32.and (local.get $header) (i32.const 1))
          (then
            ;; Bit-packed: count groups of 8 levels, a byte each.
            (if (i32.gt_u (local.get $count) (i32.sub (local.get $end) (local.get $src))) (then (return (i32.const -1))))
            (local.set $groupsEnd (i32.add (local.get $src) (local.get $count)))
            (block $packed
              (loop $groups
                (br_if $packed (i32.ge_u (local.get $src) (local.get $groupsEnd)))
                (br_if $packed (i32.ge_u (local.get $seen) (local.get $rows)))
                (local.set $b (i32.load8_u (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 1)))
                (i64.store (i32.add (local.get $dst) (local.get $seen)) (i64.load (i32.shl (local.get $b) (i32.const 3))))
                (local.set $n (i32.sub (local.get $rows) (local.get $seen)))
                (if (i32.lt_u (local.get $n) (i32.const 8))
                  (then (local.set $b (i32.and (local.get $b) (i32.sub (i32.shl (i32.const 1) (local.get $n)) (i32.const 1)))))
                  (else (local.set $n (i32.const 8))))
                (local.set $ones (i32.add (local.get $ones) (i32.popcnt (local.get $b))))
                (local.set $seen (i32.add (local.get $seen) (local.get $n)))
                (br $groups)))
            (local.set $src (local.get $groupsEnd)))
          (else
            ;; A run of one level, in one byte.
            (if (i32.ge_u (local.get $src) (local.get $end)) (then (return (i32.const -1))))
            (local.set $b (i32.load8_u (local.get $src)))
            (local.set $src (i32.add (local.get $src) (i32.const 1)))
            (if (i32.gt_u (local.get $b) (i32.const 1)) (then (return (i32.const -1))))
            (local.set $n (i32.sub (local.get $rows) (local.get $seen)))
            (if (i32.lt_u (local.get $count) (local.get $n)) (then (local.set $n (local.get $count))))
            (memory.fill (i32.add (local.get $dst) (local.get $seen)) (local.get $b) (local.get $n))
            (local.set $ones (i32.add (local.get $ones) (i32.mul (local.get $b) (local.get $n))))
            (local.set $seen (i32.add (local.get $seen) (local.get $n)))))
        (br $runs)))
    (local.get $ones))

  ;; indices(src, end, width, count, dst): count values of `width` bits (1-32), RLE/bit-packed
  ;; hybrid encoded in [src, end) (dictionary indices), as i32 into [dst, dst + 4 * count). Runs
  ;; past the last value are cut; a run's repeated value is taken as stored (all of its bytes). Returns 0, or -1 when the data ends before the last value. Reads
  ;; up to 8 bytes past `end` (not used).
  (func (export "indices") (param $src i32) (param $end i32) (param $width i32) (param $count i32) (param $dst i32) (result i32)
    (local $seen i32) (local $header i32) (local $shift i32) (local $b i32) (local $n i32) (local $k i32)
    (local $bit i32) (local $value i32) (local $mask i64) (local $bytes i32) (local $runEnd i32)
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $width))) (i64.const 1)))
    ;; A run's repeated value takes the fewest whole bytes that hold `width` bits.
    (local.set $bytes (i32.shr_u (i32.add (local.get $width) (i32.const 7)) (i32.const 3)))
    (block $done
      (loop $runs
        (br_if $done (i32.ge_u (local.get $seen) (local.get $count)))
        (local.set $header (i32.const 0))
        (local.set $shift (i32.const 0))
        (loop $varint
          (if (i32.ge_u (local.get $src) (local.get $end)) (then (return (i32.const -1))))
          (if (i32.gt_u (local.get $shift) (i32.const 28)) (then (return (i32.const -1))))
          (local.set $b (i32.load8_u (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 1)))
          (local.set $header
            (i32.or (local.get $header) (i32.shl (i32.and (local.get $b) (i32.const 127)) (local.get $shift))))
          (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
          (br_if $varint (i32.and (local.get $b) (i32.const 128))))
        (local.set $n (i32.shr_u (local.get $header) (i32.const 1)))
        (if (i32.and (local.get $header) (i32.const 1))
          (then
            ;; Bit-packed: n groups of 8 values, `width` bytes a group.
            (if (i32.gt_u (local.get $n) (i32.div_u (i32.sub (local.get $end) (local.get $src)) (local.get $width)))
              (then (return (i32.const -1))))
            (local.set $runEnd (i32.add (local.get $src) (i32.mul (local.get $n) (local.get $width))))
            (local.set $n (i32.shl (local.get $n) (i32.const 3)))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $count) (local.get $seen)))
              (then (local.set $n (i32.sub (local.get $count) (local.get $seen)))))
            (local.set $k (i32.const 0))
            (local.set $bit (i32.const 0))
            (block $packed
              (loop $values
                (br_if $packed (i32.ge_u (local.get $k) (local.get $n)))
                (i32.store
                  (i32.add (local.get $dst) (i32.shl (i32.add (local.get $seen) (local.get $k)) (i32.const 2)))
                  (i32.wrap_i64
                    (i64.and
                      (i64.shr_u
                        (i64.load (i32.add (local.get $src) (i32.shr_u (local.get $bit) (i32.const 3))))
                        (i64.extend_i32_u (i32.and (local.get $bit) (i32.const 7))))
                      (local.get $mask))))
                (local.set $bit (i32.add (local.get $bit) (local.get $width)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $values)))
            (local.set $seen (i32.add (local.get $seen) (local.get $n)))
            (local.set $src (local.get $runEnd)))
          (else
            ;; A run of one value, in its fewest whole bytes, little-endian.
            (if (i32.gt_u (local.get $bytes) (i32.sub (local.get $end) (local.get $src))) (then (return (i32.const -1))))
            (local.set $value
              (i32.wrap_i64
                (i64.and
                  (i64.load (local.get $src))
                  (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $bytes) (i32.const 3)))) (i64.const 1)))))
            (local.set $src (i32.add (local.get $src) (local.get $bytes)))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $count) (local.get $seen)))
              (then (local.set $n (i32.sub (local.get $count) (local.get $seen)))))
            (local.set $runEnd (i32.add (local.get $seen) (local.get $n)))
            (block $filled
              (loop $fill
                (br_if $filled (i32.ge_u (local.get $seen) (local.get $runEnd)))
                (i32.store (i32.add (local.get $dst) (i32.shl (local.get $seen) (i32.const 2))) (local.get $value))
                (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
                (br $fill)))))
        (br $runs)))
    (i32.const 0))

  ;; expand(present, rows, src, type, kinds, values): the PLAIN values at src, one for each row
  ;; that holds one (every row when present is 0, else where the byte at present + row is 1), as
  ;; each row's kind (kinds + row) and number (values + 8 * row; NaN for a null):
  ;;   type 0: doubles (the number kind, or NaN or infinity);
  ;;   types 1-4: 32-bit signed, 32-bit unsigned, 64-bit signed, 64-bit unsigned integers, as the
  ;;   nearest double (the integer kind).
  (func (export "expand") (param $present i32) (param $rows i32) (param $src i32) (param $type i32) (param $kinds i32) (param $values i32)
    (local $row i32) (local $value f64) (local $kind i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (if (i32.and (i32.ne (local.get $present) (i32.const 0))
                     (i32.eqz (i32.load8_u (i32.add (local.get $present) (local.get $row)))))
          (then
            (i32.store8 (i32.add (local.get $kinds) (local.get $row)) (global.get $null))
            (f64.store (i32.add (local.get $values) (i32.shl (local.get $row) (i32.const 3))) (f64.const nan)))
          (else
            (if (i32.eqz (local.get $type))
              (then
                (local.set $value (f64.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 8)))
                (local.set $kind (global.get $number))
                (if (f64.ne (local.get $value) (local.get $value))
                  (then (local.set $kind (global.get $nan)))
                  (else
                    (if (f64.eq (f64.abs (local.get $value)) (f64.const inf))
                      (then (local.set $kind (global.get $infinity)))))))
              (else
                (local.set $kind (global.get $integer))
                (if (i32.le_u (local.get $type) (i32.const 2))
                  (then
                    (if (i32.eq (local.get $type) (i32.const 1))
                      (then (local.set $value (f64.convert_i32_s (i32.load (local.get $src)))))
                      (else (local.set $value (f64.convert_i32_u (i32.load (local.get $src))))))
                    (local.set $src (i32.add (local.get $src) (i32.const 4))))
                  (else
                    (if (i32.eq (local.get $type) (i32.const 3))
                      (then (local.set $value (f64.convert_i64_s (i64.load (local.get $src)))))
                      (else (local.set $value (f64.convert_i64_u (i64.load (local.get $src))))))
                    (local.set $src (i32.add (local.get $src) (i32.const 8)))))))
            (i32.store8 (i32.add (local.get $kinds) (local.get $row)) (local.get $kind))
            (f64.store (i32.add (local.get $values) (i32.shl (local.get $row) (i32.const 3))) (local.get $value))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))
)
