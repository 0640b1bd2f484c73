;; The faster path of delimited reading (ColumnBatchSink.fastRecords in dataset-state.ts) in
;; WebAssembly: the same rules, the same fields, the same numbers, about twice as fast.
;; `npm run build:wasm` compiles this file into records-wasm.ts (a test checks the two agree).
;;
;; scan(pos, end, final, width, held, capacity, delimiter, line) reads the records of the input
;; bytes [pos, end) as fastRecords does: fields end at the delimiter, records at a line feed (a CR
;; before it, or before the end of the input, is left out), a blank line is no record, a delimiter
;; ending the input adds an empty field, and a quoted field without doubled quotes or line breaks
;; is its text. A field that is a plain decimal (-?digits[.digits], at most 15 digits, whose first
;; byte no null token starts with) is read on the way: its kind is set and its number written.
;; Each record's fields go to STARTS, ENDS, FLAGS, KINDS and VALUES at (held * width + field),
;; its line to LINES[held], and held grows by one. It stops, setting $stopPos, $stopHeld and
;; $stopLine, and returns:
;;   0 at the end of the input,
;;   1 at an incomplete record (not final), $stopPos at its start,
;;   2 at a record it leaves to the tokenizer (bad quoting, a quoted field it does not read, a
;;     wrong number of fields), $stopPos at its start and $stopLine at its line,
;;   3 when held reaches capacity (the caller reads the batch, then calls again from $stopPos).
;;
;; Memory, at the offsets exported below: MAY_BE_NULL (256 bytes, 1 where a null token starts
;; with that byte), POW10 (f64 10^0..10^22), LINES (f64), VALUES (f64), STARTS and ENDS (i32),
;; FLAGS and KINDS (u8), each for up to 65,536 fields (2,048 lines), then INPUT, as long as the
;; memory is (the caller grows it to fit), with a line feed after the input's last byte: a
;; sentinel that ends every loop over bytes without a test of the end on each byte. The offsets are written into the loads and stores too
;; (offset=...), as calls are not inlined: change them together.
(module
  (memory (export "memory") 20)
  (global (export "mayBeNullOffset") i32 (i32.const 0))
  (global (export "pow10Offset") i32 (i32.const 256))
  (global (export "linesOffset") i32 (i32.const 512))
  (global (export "valuesOffset") i32 (i32.const 16896))
  (global (export "startsOffset") i32 (i32.const 541184))
  (global (export "endsOffset") i32 (i32.const 803328))
  (global (export "flagsOffset") i32 (i32.const 1065472))
  (global (export "kindsOffset") i32 (i32.const 1131008))
  (global (export "inputOffset") i32 (i32.const 1196544))
  (global (export "fieldsCapacity") i32 (i32.const 65536))
  (global (export "linesCapacity") i32 (i32.const 2048))
  (global $stopPos (export "stopPos") (mut i32) (i32.const 0))
  (global $stopHeld (export "stopHeld") (mut i32) (i32.const 0))
  (global $stopLine (export "stopLine") (mut f64) (f64.const 0))
  ;; The codes of the kinds and flags written (values.ts, delimited.ts), set once by setCodes.
  (global $integer (mut i32) (i32.const 0))
  (global $number (mut i32) (i32.const 0))
  (global $unread (mut i32) (i32.const 0))
  (global $quoted (mut i32) (i32.const 0))

  (func (export "setCodes") (param $integer i32) (param $number i32) (param $unread i32) (param $quoted i32)
    (global.set $integer (local.get $integer))
    (global.set $number (local.get $number))
    (global.set $unread (local.get $unread))
    (global.set $quoted (local.get $quoted)))

  (func (export "scan")
    (param $pos i32) (param $end i32) (param $final i32) (param $width i32) (param $held i32)
    (param $capacity i32) (param $delimiter i32) (param $line f64) (result i32)
    (local $status i32) (local $recordStart i32) (local $base i32) (local $count i32) (local $b i32)
    (local $fieldStart i32) (local $e i32) (local $i i32) (local $j i32) (local $close i32)
    (local $after i32) (local $next i32) (local $lineEnd i32) (local $negative i32)
    (local $digitsStart i32) (local $wholeValue i32) (local $whole i32) (local $fraction i32)
    (local $fractionValue i32) (local $fractionStart i32) (local $plain i32) (local $fieldEnd i32)
    (local $k i32) (local $digit i32) (local $kind i32) (local $mantissa f64) (local $value f64) (local $recordLine f64)
    (block $stop
      (loop $records
        (if (i32.ge_u (local.get $pos) (local.get $end))
          (then
            (local.set $status (i32.const 0))
            (br $stop)))
        (local.set $recordStart (local.get $pos))
        (local.set $base (i32.mul (local.get $held) (local.get $width)))
        (local.set $count (i32.const 0))
        (local.set $b (i32.const 0))
        (block $recordDone
          (loop $fields
            (local.set $fieldStart (local.get $pos))
            (if (i32.eq (i32.load8_u offset=1196544 (local.get $pos)) (i32.const 34))
              (then
                ;; A quoted field: read here only when it closes before the end, holds no doubled
                ;; quote nor line feed, and the delimiter or a line end follows it.
                (local.set $close (i32.add (local.get $pos) (i32.const 1)))
                (block $found
                  (loop $seek
                    (local.set $next (i32.load8_u offset=1196544 (local.get $close)))
                    (br_if $found (i32.eq (local.get $next) (i32.const 34)))
                    ;; A line feed before the closing quote (or none: the line feed after the input)
                    ;; the tokenizer reads it.
                    (if (i32.eq (local.get $next) (i32.const 10))
                      (then
                        (local.set $status (i32.const 2))
                        (local.set $pos (local.get $recordStart))
                        (br $stop)))
                    (local.set $close (i32.add (local.get $close) (i32.const 1)))
                    (br $seek)))
                (local.set $after (i32.add (local.get $close) (i32.const 1)))
                ;; No closing quote, or nothing after it in the input: the tokenizer reads it.
                (if (i32.ge_u (local.get $after) (local.get $end))
                  (then
                    (local.set $status (i32.const 2))
                    (local.set $pos (local.get $recordStart))
                    (br $stop)))
                (local.set $next (i32.load8_u offset=1196544 (local.get $after)))
                (local.set $lineEnd
                  (i32.and
                    (i32.eq (local.get $next) (i32.const 13))
                    (i32.and
                      (i32.lt_u (i32.add (local.get $after) (i32.const 1)) (local.get $end))
                      (i32.eq (i32.load8_u offset=1196544 (i32.add (local.get $after) (i32.const 1))) (i32.const 10)))))
                (if (i32.and
                      (i32.and
                        (i32.ne (local.get $next) (local.get $delimiter))
                        (i32.ne (local.get $next) (i32.const 10)))
                      (i32.eqz (local.get $lineEnd)))
                  (then
                    (local.set $status (i32.const 2))
                    (local.set $pos (local.get $recordStart))
                    (br $stop)))
                (if (i32.lt_u (local.get $count) (local.get $width))
                  (then
                    (local.set $j (i32.add (local.get $base) (local.get $count)))
                    (i32.store offset=541184 (i32.shl (local.get $j) (i32.const 2)) (i32.add (local.get $pos) (i32.const 1)))
                    (i32.store offset=803328 (i32.shl (local.get $j) (i32.const 2)) (local.get $close))
                    (i32.store8 offset=1065472 (local.get $j) (global.get $quoted))
                    (i32.store8 offset=1131008 (local.get $j) (global.get $unread))))
                (if (local.get $lineEnd)
                  (then
                    (local.set $b (i32.const 10))
                    (local.set $e (i32.add (local.get $after) (i32.const 1))))
                  (else
                    (local.set $b (local.get $next))
                    (local.set $e (local.get $after)))))
              (else
                (local.set $i (local.get $pos))
                (local.set $negative (i32.eq (i32.load8_u offset=1196544 (local.get $i)) (i32.const 45)))
                (local.set $i (i32.add (local.get $i) (local.get $negative)))
                (local.set $digitsStart (local.get $i))
                ;; Each part's digits as a 32-bit integer (exact up to 9 digits).
                (local.set $wholeValue (i32.const 0))
                (block $wholeDone
                  (loop $wholeDigits
                    (local.set $b (i32.load8_u offset=1196544 (local.get $i)))
                    (br_if $wholeDone (i32.gt_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9)))
                    (local.set $wholeValue
                      (i32.add (i32.mul (local.get $wholeValue) (i32.const 10)) (i32.sub (local.get $b) (i32.const 48))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $wholeDigits)))
                (local.set $whole (i32.sub (local.get $i) (local.get $digitsStart)))
                (local.set $fraction (i32.const 0))
                (local.set $fractionValue (i32.const 0))
                (local.set $plain (i32.gt_u (local.get $whole) (i32.const 0)))
                (if (i32.and (local.get $plain) (i32.eq (i32.load8_u offset=1196544 (local.get $i)) (i32.const 46)))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (local.set $fractionStart (local.get $i))
                    (block $fractionDone
                      (loop $fractionDigits
                        (local.set $b (i32.load8_u offset=1196544 (local.get $i)))
                        (br_if $fractionDone (i32.gt_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9)))
                        (local.set $fractionValue
                          (i32.add (i32.mul (local.get $fractionValue) (i32.const 10)) (i32.sub (local.get $b) (i32.const 48))))
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (br $fractionDigits)))
                    (local.set $fraction (i32.sub (local.get $i) (local.get $fractionStart)))
                    ;; "5." is a number, but not a plain one.
                    (local.set $plain (i32.gt_u (local.get $fraction) (i32.const 0)))))
                (local.set $e (local.get $i))
                ;; $b is the byte at $i (the loops read the byte that stopped them; at the end, the
                ;; line feed after the input): a field that is a plain number ends right there.
                (if (i32.and
                      (i32.ne (local.get $b) (local.get $delimiter))
                      (i32.ne (local.get $b) (i32.const 10)))
                  (then
                    (block $endFound
                      (loop $seekEnd
                        (local.set $b (i32.load8_u offset=1196544 (local.get $e)))
                        (br_if $endFound (i32.eq (local.get $b) (local.get $delimiter)))
                        (br_if $endFound (i32.eq (local.get $b) (i32.const 10)))
                        (local.set $e (i32.add (local.get $e) (i32.const 1)))
                        (br $seekEnd)))))
                (if (i32.ge_u (local.get $e) (local.get $end))
                  (then
                    (if (i32.eqz (local.get $final))
                      (then
                        (local.set $status (i32.const 1))
                        (local.set $pos (local.get $recordStart))
                        (br $stop)))
                    (local.set $b (i32.const -1))))
                ;; A CR before the line feed or the end of the input is not part of the field.
                (local.set $fieldEnd (local.get $e))
                (if (i32.and
                      (i32.ne (local.get $b) (local.get $delimiter))
                      (i32.gt_u (local.get $e) (local.get $fieldStart)))
                  (then
                    (if (i32.eq (i32.load8_u offset=1196544 (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))
                      (then (local.set $fieldEnd (i32.sub (local.get $e) (i32.const 1)))))))
                (if (i32.lt_u (local.get $count) (local.get $width))
                  (then
                    (local.set $j (i32.add (local.get $base) (local.get $count)))
                    (local.set $kind (global.get $unread))
                    (if (i32.and
                          (i32.and (local.get $plain) (i32.eq (local.get $i) (local.get $fieldEnd)))
                          (i32.and
                            (i32.le_u (i32.add (local.get $whole) (local.get $fraction)) (i32.const 15))
                            (i32.eqz (i32.load8_u (i32.load8_u offset=1196544 (local.get $fieldStart))))))
                      (then
                        (if (i32.and (i32.le_u (local.get $whole) (i32.const 9)) (i32.le_u (local.get $fraction) (i32.const 9)))
                          (then
                            (local.set $mantissa
                              (f64.add
                                (f64.mul
                                  (f64.convert_i32_s (local.get $wholeValue))
                                  (f64.load offset=256 (i32.shl (local.get $fraction) (i32.const 3))))
                                (f64.convert_i32_s (local.get $fractionValue)))))
                          (else
                            ;; A part of more than 9 digits: the digits again, as a double (exact to 15).
                            (local.set $mantissa (f64.const 0))
                            (local.set $k (local.get $digitsStart))
                            (block $digitsDone
                              (loop $digits
                                (br_if $digitsDone (i32.ge_u (local.get $k) (local.get $i)))
                                (local.set $digit (i32.load8_u offset=1196544 (local.get $k)))
                                (if (i32.ne (local.get $digit) (i32.const 46))
                                  (then
                                    (local.set $mantissa
                                      (f64.add
                                        (f64.mul (local.get $mantissa) (f64.const 10))
                                        (f64.convert_i32_s (i32.sub (local.get $digit) (i32.const 48)))))))
                                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                                (br $digits)))))
                        (local.set $value
                          (if (result f64) (i32.eqz (local.get $fraction))
                            (then (local.get $mantissa))
                            (else (f64.div (local.get $mantissa) (f64.load offset=256 (i32.shl (local.get $fraction) (i32.const 3)))))))
                        (if (local.get $negative) (then (local.set $value (f64.neg (local.get $value)))))
                        (f64.store offset=16896 (i32.shl (local.get $j) (i32.const 3)) (local.get $value))
                        (local.set $kind
                          (if (result i32) (local.get $fraction) (then (global.get $number)) (else (global.get $integer))))))
                    (i32.store offset=541184 (i32.shl (local.get $j) (i32.const 2)) (local.get $fieldStart))
                    (i32.store offset=803328 (i32.shl (local.get $j) (i32.const 2)) (local.get $fieldEnd))
                    (i32.store8 offset=1065472 (local.get $j) (i32.const 0))
                    (i32.store8 offset=1131008 (local.get $j) (local.get $kind))))))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (if (i32.ne (local.get $b) (local.get $delimiter))
              (then
                (local.set $pos
                  (if (result i32) (i32.eq (local.get $b) (i32.const 10))
                    (then (i32.add (local.get $e) (i32.const 1)))
                    (else (local.get $end))))
                (br $recordDone)))
            (local.set $pos (i32.add (local.get $e) (i32.const 1)))
            (if (i32.ge_u (local.get $pos) (local.get $end))
              (then
                (if (i32.eqz (local.get $final))
                  (then
                    (local.set $status (i32.const 1))
                    (local.set $pos (local.get $recordStart))
                    (br $stop)))
                ;; A delimiter at the very end of the input: one more empty field.
                (if (i32.lt_u (local.get $count) (local.get $width))
                  (then
                    (local.set $j (i32.add (local.get $base) (local.get $count)))
                    (i32.store offset=541184 (i32.shl (local.get $j) (i32.const 2)) (local.get $pos))
                    (i32.store offset=803328 (i32.shl (local.get $j) (i32.const 2)) (local.get $pos))
                    (i32.store8 offset=1065472 (local.get $j) (i32.const 0))
                    (i32.store8 offset=1131008 (local.get $j) (global.get $unread))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $b (i32.const -1))
                (br $recordDone)))
            (br $fields)))
        (local.set $recordLine (local.get $line))
        (if (i32.eq (local.get $b) (i32.const 10))
          (then (local.set $line (f64.add (local.get $line) (f64.const 1)))))
        ;; A blank line (one empty unquoted field) is not a record.
        (if (i32.and
              (i32.eq (local.get $count) (i32.const 1))
              (i32.and
                (i32.eq
                  (i32.load offset=541184 (i32.shl (local.get $base) (i32.const 2)))
                  (i32.load offset=803328 (i32.shl (local.get $base) (i32.const 2))))
                (i32.eqz (i32.load8_u offset=1065472 (local.get $base)))))
          (then (br $records)))
        (if (i32.ne (local.get $count) (local.get $width))
          (then
            ;; The tokenizer reads it again, and reports it.
            (local.set $status (i32.const 2))
            (local.set $line (local.get $recordLine))
            (local.set $pos (local.get $recordStart))
            (br $stop)))
        (f64.store offset=512 (i32.shl (local.get $held) (i32.const 3)) (local.get $recordLine))
        (local.set $held (i32.add (local.get $held) (i32.const 1)))
        (if (i32.eq (local.get $held) (local.get $capacity))
          (then
            (local.set $status (i32.const 3))
            (br $stop)))
        (br $records)))
    (global.set $stopPos (local.get $pos))
    (global.set $stopHeld (local.get $held))
    (global.set $stopLine (local.get $line))
    (local.get $status))
)
