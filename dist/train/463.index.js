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
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(50612);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(67458);
/* harmony import */ var _ports_storage_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(33029);
/* harmony import */ var _local_storage_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(60629);




/** GitHub's Actions cache. Save and restore pass the same single path (the cache version hashes the paths). */
class GitHubRunCache {
    description = 'GitHub Actions cache';
    async restore(key, dir) {
        return (await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .restoreCache */ .P3([dir], key)) === key;
    }
    async save(key, dir) {
        try {
            await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .saveCache */ .Io([dir], key);
        }
        catch (error) {
            // An entry for this key already exists (entries are immutable): nothing to do.
            if (error.name !== _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .ReserveCacheError */ .Zh.name)
                throw error;
        }
    }
}
class GitHubArtifactStore {
    description = 'workflow artifacts';
    client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_1__/* .DefaultArtifactClient */ .t9();
    async upload(name, dir) {
        const files = await (0,_local_storage_js__WEBPACK_IMPORTED_MODULE_2__/* .listFiles */ .CS)(dir);
        const { id } = await this.client.uploadArtifact((0,_ports_storage_js__WEBPACK_IMPORTED_MODULE_3__/* .artifactName */ .C)(name), files, dir);
        const run = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
        return { location: id !== undefined ? `${run}/artifacts/${id}` : run };
    }
}


/***/ })

};
