export const id = 138;
export const ids = [138];
export const modules = {

/***/ 61138:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubArtifactStore: () => (/* binding */ GitHubArtifactStore),
  GitHubRunCache: () => (/* binding */ GitHubRunCache)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/cache/lib/cache.js + 91 modules
var cache = __webpack_require__(50612);
// EXTERNAL MODULE: ./node_modules/@actions/artifact/lib/artifact.js + 86 modules
var artifact = __webpack_require__(37296);
// EXTERNAL MODULE: ./src/ports/storage.ts
var storage = __webpack_require__(33029);
;// CONCATENATED MODULE: ./src/adapters/local/storage.ts



/** A run cache in a folder: one sub-folder per key, written aside and renamed into place. */
class LocalRunCache {
    root;
    constructor(root) {
        this.root = root;
    }
    get description() {
        return `local cache ${this.root}`;
    }
    async restore(key, dir) {
        const entry = join(this.root, safeKey(key));
        try {
            if (!(await stat(entry)).isDirectory())
                return false;
        }
        catch {
            return false;
        }
        await rm(dir, { recursive: true, force: true });
        await cp(entry, dir, { recursive: true });
        return true;
    }
    async save(key, dir) {
        const entry = join(this.root, safeKey(key));
        try {
            await stat(entry);
            return false; // immutable: the first save wins
        }
        catch {
            // not there yet
        }
        await mkdir(this.root, { recursive: true });
        const staging = `${entry}.partial-${process.pid}`;
        await rm(staging, { recursive: true, force: true });
        await cp(dir, staging, { recursive: true });
        try {
            await rename(staging, entry);
            return true;
        }
        catch {
            await rm(staging, { recursive: true, force: true }); // another process saved it first
            return false;
        }
    }
}
/** Artifacts as folders under a root. */
class LocalArtifactStore {
    root;
    constructor(root) {
        this.root = root;
    }
    get description() {
        return `local folder ${this.root}`;
    }
    async upload(name, dir) {
        const target = join(this.root, artifactName(name));
        await rm(target, { recursive: true, force: true });
        await mkdir(this.root, { recursive: true });
        await cp(dir, target, { recursive: true });
        return { location: target };
    }
}
function safeKey(key) {
    return key.replace(/[^A-Za-z0-9._-]/g, '_');
}
/** Every file under `dir`, as absolute paths. */
async function listFiles(dir) {
    const entries = await (0,promises_.readdir)(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => (0,external_node_path_.join)(e.parentPath, e.name));
}

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
;// CONCATENATED MODULE: ./src/adapters/github/storage.ts







/**
 * The path handed to the cache: relative to the workspace when inside it. The cache version
 * hashes the paths, so an absolute path would tie an entry to one checkout folder (runners
 * differ: self-hosted ones, containers).
 */
function cachePath(dir) {
    const rel = (0,external_node_path_.relative)(process.cwd(), dir);
    return rel && !rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel) ? rel.split(external_node_path_.sep).join('/') : dir;
}
/** GitHub's Actions cache. Save and restore pass the same single path (the cache version hashes the paths). */
class GitHubRunCache {
    description = 'GitHub Actions cache';
    async restore(key, dir) {
        return (await cache/* restoreCache */.P3([cachePath(dir)], key)) === key;
    }
    async save(key, dir) {
        try {
            // The cache service answers -1 (after logging a warning) when the entry exists or the upload failed.
            return (await cache/* saveCache */.Io([cachePath(dir)], key)) !== -1;
        }
        catch (error) {
            // An entry for this key already exists (entries are immutable): nothing to do.
            if (error.name !== cache/* ReserveCacheError */.Zh.name)
                throw error;
            return false;
        }
    }
}
class GitHubArtifactStore {
    description = 'workflow artifacts';
    client = new artifact/* DefaultArtifactClient */.t9();
    async upload(name, dir) {
        const files = await listFiles(dir);
        const { id } = await this.client.uploadArtifact((0,storage/* artifactName */.C)(name), files, dir);
        const run = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
        return { location: id !== undefined ? `${run}/artifacts/${id}` : run };
    }
    /** Downloads the artifact `name` of this workflow run into `dir` (replacing what was there). */
    async download(name, dir) {
        let id;
        try {
            id = (await this.client.getArtifact((0,storage/* artifactName */.C)(name))).artifact.id;
        }
        catch (error) {
            if (error.name !== 'ArtifactNotFoundError')
                throw error;
            throw new errors/* UserError */.y(`no artifact "${(0,storage/* artifactName */.C)(name)}" in this workflow run`, 'The job that uploads it must run first (list it under `needs:`), and the names must match, matrix suffix included.');
        }
        await (0,promises_.rm)(dir, { recursive: true, force: true });
        await (0,promises_.mkdir)(dir, { recursive: true });
        await this.client.downloadArtifact(id, { path: dir });
    }
}


/***/ })

};
