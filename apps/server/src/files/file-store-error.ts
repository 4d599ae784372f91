/**
 * Limits a file upload can break. Interim: these codes belong in `lib/errors.ts` and the error table
 * (`http/problem.ts`); until they are there, `http/routes/server-file-routes.ts` renders them.
 */
export type FileStoreErrorCode =
  /** One file is larger than the per-file limit. */
  | "FILE_TOO_LARGE"
  /** The upload would take the server's folder over its quota. */
  | "FILES_QUOTA_EXCEEDED";

export class FileStoreError extends Error {
  constructor(
    readonly code: FileStoreErrorCode,
    message: string,
    /** The limit that was hit, in bytes. */
    readonly limitBytes: number,
  ) {
    super(message);
    this.name = "FileStoreError";
  }
}
