/** Exit codes (docs/architecture.md §4). Documented in --help, the README and the man page. */
export const ExitCode = {
  /** success, or nothing to do */
  Success: 0,
  /** the flash failed during download or validate; the adapter was reset */
  FlashFailed: 1,
  /** usage error or bad input (image, arguments); the device was not touched */
  BadInput: 2,
  /** preflight refused: no driver, not a guest, AFU in use, lock held, permissions */
  PreflightRefused: 3,
  /** the hypervisor rejected the image at validation */
  ValidationRejected: 4,
  /** the adapter did not come back after the reload */
  ReloadTimeout: 5,
  /** interrupted by the user; the adapter was reset if the device was open */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_TABLE: readonly { code: ExitCodeValue; meaning: string; touched: string }[] =
  [
    { code: 0, meaning: 'success (or nothing to do)', touched: 'no' },
    {
      code: 1,
      meaning: 'the flash failed during download or validate; the adapter was reset',
      touched: 'yes',
    },
    { code: 2, meaning: 'usage error or bad input (image, arguments)', touched: 'no' },
    {
      code: 3,
      meaning: 'preflight refused (no driver, not a guest, AFU in use, lock held, permissions)',
      touched: 'no',
    },
    { code: 4, meaning: 'the hypervisor rejected the image at validation', touched: 'yes' },
    { code: 5, meaning: 'the adapter did not come back after the reload', touched: 'yes' },
    {
      code: 130,
      meaning: 'interrupted by the user; the adapter was reset if the device was open',
      touched: 'maybe',
    },
  ];

/** An error that ends the program with a message for the user and a code from the table. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** what to do about it */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
