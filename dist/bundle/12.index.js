export const id = 12;
export const ids = [12];
export const modules = {

/***/ 94012:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runAction: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/steps/index.ts + 56 modules
var steps = __webpack_require__(55941);
// EXTERNAL MODULE: ./src/adapters/context.ts + 1 modules
var context = __webpack_require__(90545);
;// CONCATENATED MODULE: ./src/adapters/github/step-io.ts

/** GitHub's job summary limit is 1 MiB per step; stay under it. */
const SUMMARY_LIMIT = 1_000_000;
class GitHubStepIO {
    env;
    onGitHub = true;
    summaryBytes = 0;
    summaryWarned = false;
    constructor(env = process.env) {
        this.env = env;
    }
    getInput(name) {
        return core.getInput(name);
    }
    setOutput(name, value) {
        core.setOutput(name, value);
    }
    async appendSummary(markdown) {
        let text = markdown;
        const room = SUMMARY_LIMIT - this.summaryBytes;
        if (Buffer.byteLength(text) > room) {
            const note = "\n\n*Summary truncated at GitHub's 1 MiB limit; the full report is in the step's report file and artifact.*\n";
            text = truncateUtf8(text, Math.max(0, room - Buffer.byteLength(note))) + note;
        }
        if (text.length === 0)
            return;
        if (!this.env.GITHUB_STEP_SUMMARY) {
            // Not every runner (or a step run by hand) has a summary file: the step's work stands, the summary is skipped.
            if (!this.summaryWarned)
                core.info("No job summary: GITHUB_STEP_SUMMARY is not set; the reports are in the step's output folder.");
            this.summaryWarned = true;
            return;
        }
        this.summaryBytes += Buffer.byteLength(text);
        await core.summary.addRaw(text, true).write();
    }
    /** Log lines may carry data (class names, file names): a line starting with `::` would be a workflow command, so `::` is broken up. */
    info(message) {
        core.info(message.replace(/::/g, ':\u200b:'));
    }
    warning(message, where) {
        core.warning(message, annotation(where));
    }
    error(message, where) {
        core.error(message, annotation(where));
    }
    group(title, fn) {
        return core.group(title, fn);
    }
    fail(message) {
        core.setFailed(message);
    }
}
function annotation(where) {
    if (!where)
        return undefined;
    return { file: where.file, startLine: where.line, title: where.title };
}
/** Cuts text to at most `bytes` UTF-8 bytes, at a line break when one is near. */
function truncateUtf8(text, bytes) {
    const buf = Buffer.from(text);
    if (buf.length <= bytes)
        return text;
    let cut = buf.subarray(0, bytes).toString('utf8');
    if (cut.endsWith('\uFFFD'))
        cut = cut.slice(0, -1);
    const lastBreak = cut.lastIndexOf('\n');
    return lastBreak > cut.length * 0.9 ? cut.slice(0, lastBreak) : cut;
}

;// CONCATENATED MODULE: ./src/adapters/github/run.ts





/** Runs a step as a GitHub action: any error fails the step with its message, never a stack trace. */
async function runAction(step, env = process.env) {
    try {
        const io = new GitHubStepIO(env);
        const ctx = await (0,context/* buildContext */.g)({ io, env, cwd: process.cwd(), configSchema: steps.PROJECT_CONFIG, configPath: io.getInput('config') });
        await step.run(ctx);
    }
    catch (error) {
        core.setFailed(`${step.name}: ${(0,errors/* describeError */.U)(error)}`);
        if (!(error instanceof Error) || error.name !== 'UserError')
            core.debug(error instanceof Error ? (error.stack ?? '') : String(error));
    }
}


/***/ })

};
