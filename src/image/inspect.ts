/**
 * From a path to a report: load and hash the image, find the expected checksum, build the
 * report. Shared by `inspect` and the flash flow; it never opens a device.
 */
import { findExpectedChecksum } from './checksum.js';
import { buildInspectReport, type InspectAdapter, type InspectReport } from './inspect-report.js';
import { loadImage, type LoadedImage } from './load.js';

export interface InspectOptions {
  /** `--sha256 HEX`; when absent the sidecar `<image>.sha256` is used if there is one */
  readonly sha256?: string;
  /** how the adapter was chosen, or why there is none */
  readonly adapterNote: string;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface InspectedImage {
  readonly image: LoadedImage;
  readonly report: InspectReport;
}

/** Throws an ImageError / UserFacingError (exit 2) when the image or its checksum file is unusable. */
export async function inspectImageFile(
  path: string,
  adapter: InspectAdapter | null,
  options: InspectOptions,
): Promise<InspectedImage> {
  const image = await loadImage(path, { onProgress: options.onProgress });
  const expected = await findExpectedChecksum(image, options.sha256);
  const report = buildInspectReport(image, adapter, { expected, adapterNote: options.adapterNote });
  return { image, report };
}
