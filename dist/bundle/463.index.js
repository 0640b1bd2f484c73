export const id = 463;
export const ids = [463];
export const modules = {

/***/ 25463:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubArtifactStore: () => (/* binding */ GitHubArtifactStore),
/* harmony export */   GitHubRunCache: () => (/* binding */ GitHubRunCache)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(50612);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(37296);
/* harmony import */ var _ports_storage_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(33029);
/* harmony import */ var _local_storage_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(60629);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(74296);







/**
 * The path handed to the cache: relative to the workspace when inside it. The cache version
 * hashes the paths, so an absolute path would tie an entry to one checkout folder (runners
 * differ: self-hosted ones, containers).
 */
function cachePath(dir) {
    const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(process.cwd(), dir);
    return rel && !rel.startsWith('..') && !(0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(rel) ? rel.split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/') : dir;
}
/** GitHub's Actions cache. Save and restore pass the same single path (the cache version hashes the paths). */
class GitHubRunCache {
    description = 'GitHub Actions cache';
    async restore(key, dir) {
        return (await _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .restoreCache */ .P3([cachePath(dir)], key)) === key;
    }
    async save(key, dir) {
        try {
            // The cache service answers -1 (after logging a warning) when the entry exists or the upload failed.
            return (await _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .saveCache */ .Io([cachePath(dir)], key)) !== -1;
        }
        catch (error) {
            // An entry for this key already exists (entries are immutable): nothing to do.
            if (error.name !== _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .ReserveCacheError */ .Zh.name)
                throw error;
            return false;
        }
    }
}
class GitHubArtifactStore {
    description = 'workflow artifacts';
    client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_3__/* .DefaultArtifactClient */ .t9();
    async upload(name, dir) {
        const files = await (0,_local_storage_js__WEBPACK_IMPORTED_MODULE_4__/* .listFiles */ .CS)(dir);
        const { id } = await this.client.uploadArtifact((0,_ports_storage_js__WEBPACK_IMPORTED_MODULE_6__/* .artifactName */ .C)(name), files, dir);
        const run = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
        return { location: id !== undefined ? `${run}/artifacts/${id}` : run };
    }
    /** Downloads the artifact `name` of this workflow run into `dir` (replacing what was there). */
    async download(name, dir) {
        let id;
        try {
            id = (await this.client.getArtifact((0,_ports_storage_js__WEBPACK_IMPORTED_MODULE_6__/* .artifactName */ .C)(name))).artifact.id;
        }
        catch (error) {
            if (error.name !== 'ArtifactNotFoundError')
                throw error;
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UserError */ .y(`no artifact "${(0,_ports_storage_js__WEBPACK_IMPORTED_MODULE_6__/* .artifactName */ .C)(name)}" in this workflow run`, 'The job that uploads it must run first (list it under `needs:`), and the names must match, matrix suffix included.');
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(dir, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(dir, { recursive: true });
        await this.client.downloadArtifact(id, { path: dir });
    }
}


/***/ })

};
