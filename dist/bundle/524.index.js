export const id = 524;
export const ids = [524];
export const modules = {

/***/ 26207:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tz: () => (/* binding */ detectFormat),
/* harmony export */   oD: () => (/* binding */ openSource)
/* harmony export */ });
/* unused harmony exports DATA_FORMATS, detectUnsupportedEncoding */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(38522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);
/** Opening data files: format from the name, gzip from the content, bytes as a stream. */




const DATA_FORMATS = (/* unused pure expression or super */ null && (['csv', 'tsv', 'jsonl']));
const EXTENSIONS = {
    csv: 'csv',
    tsv: 'tsv',
    tab: 'tsv',
    jsonl: 'jsonl',
    ndjson: 'jsonl',
};
/** The format of a file from its name (`.csv`, `.tsv`, `.jsonl`, each optionally `.gz`), unless given. */
function detectFormat(path, format = 'auto') {
    if (format !== 'auto')
        return format;
    const parts = path.toLowerCase().split('/').pop().split('.');
    if (parts.at(-1) === 'gz')
        parts.pop();
    const found = EXTENSIONS[parts.at(-1) ?? ''];
    if (!found) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${path}: cannot tell the format from the file name`, 'Name the file .csv, .tsv or .jsonl (optionally .gz), or set the format (input `format`, flag --format).');
    }
    return found;
}
const CHUNK_SIZE = 1 << 20;
/** Opens a data file; `chunkSize` is the size of the pieces read (and decompressed) at once. */
/** Opens the data file at `path`; messages name it `name` (how people know it: relative to their working directory). */
async function openSource(path, chunkSize = CHUNK_SIZE, name = path) {
    let size;
    let gzip = false;
    try {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path);
        if (info.isDirectory())
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${name} is a directory, not a data file`, 'Give a file, or a glob such as data/*.csv.');
        size = info.size;
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, 'r');
        try {
            const head = Buffer.alloc(ENCODING_SNIFF_BYTES);
            const { bytesRead } = await handle.read(head, 0, head.length, 0);
            gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
            if (!gzip)
                checkEncoding(head.subarray(0, bytesRead), name);
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y)
            throw error;
        const code = error.code;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`cannot read data file ${name}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`, 'Check the path (relative paths start at the working directory, or at mlops.yaml for paths in it).');
    }
    const file = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path, { highWaterMark: chunkSize });
    const chunks = gzip ? file.pipe((0,node_zlib__WEBPACK_IMPORTED_MODULE_2__.createGunzip)({ chunkSize })) : file;
    file.on('error', (error) => chunks.destroy(error));
    return {
        size,
        gzip,
        chunks: gzip ? checkedChunks(readChunks(chunks, name), name) : readChunks(chunks, name),
        bytesRead: () => file.bytesRead,
    };
}
async function* readChunks(stream, path) {
    try {
        for await (const chunk of stream)
            yield chunk;
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${path}: could not be read to the end: ${message}`, 'The file may be truncated or not valid gzip; check how it was written.');
    }
}
/** How much of the start of a file is looked at to tell its encoding. */
const ENCODING_SNIFF_BYTES = 1024;
/**
 * The encoding of text that is not UTF-8 (nor ASCII) but UTF-16 or UTF-32, as
 * Excel's "Unicode Text" and Windows tools (PowerShell 5 `>`) write it, or
 * null. Byte-order marks first; UTF-16 without one shows as NUL bytes in most
 * odd (little-endian) or even (big-endian) positions, since CSV text is mostly
 * ASCII. A UTF-8 byte-order mark is not reported: readers skip it.
 */
function detectUnsupportedEncoding(head) {
    const [b0, b1, b2, b3] = head;
    if (head.length >= 4 && b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0)
        return 'UTF-32LE (byte-order mark FF FE 00 00)';
    if (head.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
        return 'UTF-32BE (byte-order mark 00 00 FE FF)';
    if (head.length >= 2 && b0 === 0xff && b1 === 0xfe)
        return 'UTF-16LE (byte-order mark FF FE)';
    if (head.length >= 2 && b0 === 0xfe && b1 === 0xff)
        return 'UTF-16BE (byte-order mark FE FF)';
    const pairs = head.length >> 1;
    if (pairs < 2)
        return null;
    let evenNuls = 0;
    let oddNuls = 0;
    for (let i = 0; i + 1 < head.length; i += 2) {
        if (head[i] === 0)
            evenNuls++;
        if (head[i + 1] === 0)
            oddNuls++;
    }
    if (oddNuls >= pairs * 0.4 && evenNuls <= pairs * 0.05)
        return 'UTF-16LE (no byte-order mark: NUL bytes at odd positions)';
    if (evenNuls >= pairs * 0.4 && oddNuls <= pairs * 0.05)
        return 'UTF-16BE (no byte-order mark: NUL bytes at even positions)';
    return null;
}
/** Throws a UserError naming file `name` when `head` (its first bytes) is UTF-16 or UTF-32 text. */
function checkEncoding(head, name) {
    const encoding = detectUnsupportedEncoding(head);
    if (encoding === null)
        return;
    const from = encoding.startsWith('UTF-32') ? 'UTF-32' : 'UTF-16';
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .y(`${name}: the file is ${encoding} text; data files must be UTF-8`, `Save it as UTF-8 ("CSV UTF-8" in Excel's Save As), or convert it: iconv -f ${from} -t UTF-8 ${name} > converted.csv`);
}
/** Passes on decompressed chunks after checking the encoding of their first bytes. */
async function* checkedChunks(chunks, name) {
    const held = [];
    let heldBytes = 0;
    let checked = false;
    for await (const chunk of chunks) {
        if (checked) {
            yield chunk;
            continue;
        }
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes < ENCODING_SNIFF_BYTES)
            continue;
        const head = Buffer.concat(held);
        checkEncoding(head.subarray(0, ENCODING_SNIFF_BYTES), name);
        checked = true;
        yield* held;
        held.length = 0;
    }
    if (!checked) {
        checkEncoding(Buffer.concat(held), name);
        yield* held;
    }
}


/***/ }),

/***/ 60524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readTable: () => (/* binding */ readTable),
/* harmony export */   tableColumn: () => (/* binding */ tableColumn)
/* harmony export */ });
/* harmony import */ var _delimited_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4763);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(26207);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(12912);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/**
 * A data set read into memory, column by column, for training and evaluation.
 * Numbers live in Float64Arrays (NaN for a missing or non-numeric cell); a column
 * that holds any text also keeps its texts (null for missing). Reads CSV, TSV and
 * JSON Lines (gzip too) with the same tokenizer and value rules as validate-data.
 */




class ColumnBuilder {
    name;
    numbers = new Float64Array(1024);
    texts = null;
    present = 0;
    numeric = 0;
    constructor(name) {
        this.name = name;
    }
    /**
     * Sets one cell. NaN and infinities count as missing numbers. Once a column holds
     * text, its numeric cells read as their canonical text (`007` and `7.0` as `7`), as
     * validate-data's domains do, so the same value always encodes the same way.
     */
    set(row, kind, value, text) {
        if (row >= this.numbers.length) {
            const grown = new Float64Array(this.numbers.length * 2);
            grown.set(this.numbers);
            grown.fill(NaN, this.numbers.length);
            this.numbers = grown;
        }
        if (kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null || kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.NaN || kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Infinity) {
            this.numbers[row] = NaN;
            if (this.texts)
                this.texts[row] = null;
            return;
        }
        this.present++;
        if (kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Integer || kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Number) {
            this.numeric++;
            this.numbers[row] = value;
            if (this.texts)
                this.texts[row] = String(value);
            return;
        }
        this.numbers[row] = NaN;
        if (!this.texts) {
            // The first text: earlier rows keep their numbers as text.
            this.texts = [];
            for (let r = 0; r < row; r++)
                this.texts[r] = Number.isNaN(this.numbers[r]) ? null : String(this.numbers[r]);
        }
        this.texts[row] = kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Boolean ? (value ? 'true' : 'false') : text();
    }
    finish(rows) {
        const numbers = this.numbers.length === rows ? this.numbers : this.numbers.slice(0, rows);
        if (this.numbers.length < rows)
            numbers.fill(NaN, this.numbers.length);
        const texts = this.texts ? Array.from({ length: rows }, (_, r) => this.texts[r] ?? null) : null;
        return { name: this.name, numbers, texts, present: this.present, numeric: this.numeric };
    }
}
/** Reads files (one table: the same columns in each, by name) into memory. */
async function readTable(files, options = {}) {
    if (files.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y('no data files to read');
    const classifier = new _values_js__WEBPACK_IMPORTED_MODULE_1__/* .ValueClassifier */ .Dw(options.nullValues ?? _values_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_NULL_VALUES */ .LL);
    const builders = new Map();
    const builder = (name) => {
        let b = builders.get(name);
        if (!b) {
            b = new ColumnBuilder(name);
            b.numbers.fill(NaN);
            builders.set(name, b);
        }
        return b;
    };
    let rows = 0;
    for (const file of files) {
        const format = (0,_source_js__WEBPACK_IMPORTED_MODULE_0__/* .detectFormat */ .Tz)(file, options.format);
        const source = await (0,_source_js__WEBPACK_IMPORTED_MODULE_0__/* .openSource */ .oD)(file);
        if (format === 'jsonl') {
            let pending = null;
            let line = 0;
            const handle = (buf, start, end) => {
                line++;
                const text = (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .decodeText */ .g7)(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end);
                if (text.trim() === '')
                    return;
                let value;
                try {
                    value = JSON.parse(text);
                }
                catch (error) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: not JSON (${error.message})`, 'Run validate-data on this file to find every bad line.');
                }
                if (value === null || typeof value !== 'object' || Array.isArray(value))
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: not a JSON object`);
                for (const [name, cell] of Object.entries(value)) {
                    const b = builder(name);
                    if (cell === null || cell === undefined)
                        b.set(rows, _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null, 0, () => '');
                    else if (typeof cell === 'number')
                        b.set(rows, Number.isFinite(cell) ? _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Number : _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Infinity, cell, () => String(cell));
                    else if (typeof cell === 'boolean')
                        b.set(rows, _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Boolean, cell ? 1 : 0, () => String(cell));
                    else if (typeof cell === 'string') {
                        const kind = classifier.classifyText(cell);
                        b.set(rows, kind === _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null ? _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.Null : _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.String, 0, () => cell);
                    }
                    else
                        b.set(rows, _values_js__WEBPACK_IMPORTED_MODULE_1__/* .Kind */ .b8.String, 0, () => JSON.stringify(cell));
                }
                rows++;
            };
            for await (const chunk of source.chunks) {
                const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
                let start = 0;
                for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
                    handle(buf, start, nl);
                    start = nl + 1;
                }
                pending = start < buf.length ? buf.subarray(start) : null;
            }
            if (pending)
                handle(pending, 0, pending.length);
            continue;
        }
        const tokenizer = new _delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .DelimitedTokenizer */ .N0(format === 'tsv' ? 9 : 44);
        let header = null;
        const sink = {
            record(buf, starts, ends, flags, count, line) {
                const text = (i) => {
                    const raw = (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .decodeText */ .g7)(buf, starts[i], ends[i]);
                    return flags[i] & _delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .FIELD_ESCAPED_QUOTES */ .RP ? (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .unescapeQuotes */ .E9)(raw) : raw;
                };
                const open = (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .unterminatedField */ .Tl)(flags, count);
                if (open >= 0) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}: ${(0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .unterminatedQuoteMessage */ .OY)(file, (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .openingQuote */ .vv)(buf, starts, flags, open, line))}`, `${_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .UNTERMINATED_QUOTE_HINT */ .wd} Run validate-data on this file to find every malformed row.`);
                }
                if (header === null) {
                    header = [];
                    for (let i = 0; i < count; i++)
                        header.push(builder(text(i)));
                    return;
                }
                for (let i = 0; i < count; i++) {
                    if (flags[i] & _delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .FIELD_MALFORMED */ .bL) {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: a quoted field is not closed properly`, 'Run validate-data on this file to find every malformed row.');
                    }
                }
                if (count !== header.length) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${file}:${line}: ${count} fields where the header has ${header.length}`, 'Run validate-data on this file to find every malformed row.');
                }
                for (let i = 0; i < count; i++) {
                    const kind = classifier.classify(buf, starts[i], ends[i]);
                    header[i].set(rows, kind, classifier.value, () => text(i));
                }
                rows++;
            },
        };
        await (0,_delimited_js__WEBPACK_IMPORTED_MODULE_3__/* .tokenizeChunks */ .Cz)(source.chunks, tokenizer, sink);
    }
    if (rows === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`no data rows in ${files.join(', ')}`);
    return { rows, columns: [...builders.values()].map((b) => b.finish(rows)), files: [...files] };
}
function tableColumn(table, name, what = 'column') {
    const column = table.columns.find((c) => c.name === name);
    if (!column) {
        const names = table.columns.map((c) => c.name);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`${what} "${name}" is not in ${table.files.join(', ')}`, `Columns there: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`);
    }
    return column;
}


/***/ })

};
