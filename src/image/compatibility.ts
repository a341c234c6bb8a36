/**
 * The image's IDs (from a header embedded in the file) against the adapter's (from its device
 * tree, docs/kernel-contract.md §5), explained in words: which field differs, both values, what it likely
 * means and what to do. A raw image carries no IDs: the kernel stamps the adapter's own into
 * the header it builds (§3), so there is nothing in the file to compare.
 */
import type { AdapterIdentity } from '../hardware/types.js';
import { hexId } from './units.js';

export type IdField = keyof AdapterIdentity;

/** §5: known IBM CAPI IDs (capi-utils `include/capi_flash.h`). */
const VENDOR_NAMES: Readonly<Record<number, string>> = { 0x1014: 'IBM' };
const DEVICE_NAMES: Readonly<Record<number, string>> = {
  0x0477: 'IBM CAPI adapter',
  0x04cf: 'IBM CAPI adapter, legacy ID',
  0x0601: 'IBM CAPI adapter, legacy ID',
};

const FIELDS: readonly { field: IdField; label: string; meaning: string }[] = [
  {
    field: 'vendorId',
    label: 'vendor',
    meaning: "The image is for another maker's hardware; it cannot work on this adapter.",
  },
  {
    field: 'deviceId',
    label: 'device',
    meaning:
      'The image is for a different adapter model (another FPGA or PSL). Whether the firmware checks these IDs is not documented: it may reject the image only at validation, after the download has already erased the current image, or accept an image built for other hardware.',
  },
  {
    field: 'subsystemVendorId',
    label: 'subsystem vendor',
    meaning:
      'Same adapter model, but a board from another card maker; board images differ in pin-out and flash layout.',
  },
  {
    field: 'subsystemId',
    label: 'subsystem',
    meaning:
      'Same adapter model and card maker, but another board or board revision; board images differ in pin-out and flash layout.',
  },
];

/** An ID with its name when it is a known one: `0x1014 (IBM)`. */
export function describeId(field: IdField, value: number, vendorId: number | null = null): string {
  const name =
    field === 'vendorId' || field === 'subsystemVendorId'
      ? VENDOR_NAMES[value]
      : field === 'deviceId' && vendorId === 0x1014
        ? DEVICE_NAMES[value]
        : undefined;
  return name ? `${hexId(value)} (${name})` : hexId(value);
}

export type IdStatus = 'same' | 'differs' | 'not-in-image' | 'not-on-adapter';

export interface IdComparison {
  readonly field: IdField;
  readonly label: string;
  /** null when the image has no header; 0 in a header means the field was left unset */
  readonly image: number | null;
  /** null when the adapter's device tree lacks the property (the kernel then writes 0) */
  readonly adapter: number | null;
  readonly status: IdStatus | null;
}

export type CompatibilityVerdict = 'match' | 'mismatch' | 'partial' | 'not-compared';

export interface Compatibility {
  readonly verdict: CompatibilityVerdict;
  /** one sentence */
  readonly summary: string;
  /** one line per field that differs or could not be compared */
  readonly explanation: readonly string[];
  /** what to do, when there is something to do */
  readonly advice: string | null;
  readonly fields: readonly IdComparison[];
}

function idList(ids: AdapterIdentity): string {
  return FIELDS.map(({ field, label }) => {
    const value = ids[field];
    return `${label} ${value === null ? 'unknown' : describeId(field, value, ids.vendorId)}`;
  }).join(', ');
}

function statusOf(image: number, adapter: number | null): IdStatus {
  if (image === 0) return 'not-in-image';
  if (adapter === null) return 'not-on-adapter';
  return image === adapter ? 'same' : 'differs';
}

/** Compare; `adapterName` is how the adapter is called in the sentences (`card0`). */
export function checkCompatibility(
  imageIds: AdapterIdentity | null,
  adapterIds: AdapterIdentity | null,
  adapterName = 'the adapter',
): Compatibility {
  const fields = FIELDS.map(({ field, label }): IdComparison => {
    const image = imageIds ? imageIds[field] : null;
    const adapter = adapterIds ? adapterIds[field] : null;
    const status = imageIds && adapterIds && image !== null ? statusOf(image, adapter) : null;
    return { field, label, image, adapter, status };
  });
  if (imageIds === null) {
    return {
      verdict: 'not-compared',
      summary: adapterIds
        ? `Not compared: the image carries no IDs (no header of its own); the kernel will write ${adapterName}'s IDs into the header it builds.`
        : 'Not compared: the image carries no IDs (no header of its own) and no adapter is selected.',
      explanation: [
        'A raw image is never refused on IDs, because the kernel builds its header from the adapter. Whether the image suits the adapter rests on where it came from.',
      ],
      advice: adapterIds
        ? `Check that the image was built for ${adapterName}: ${idList(adapterIds)}. Its file name or the vendor's release notes usually say.`
        : null,
      fields,
    };
  }
  if (adapterIds === null) {
    return {
      verdict: 'not-compared',
      summary: `Not compared: the image's own header names ${idList(imageIds)}, and no adapter is selected.`,
      explanation: [],
      advice: 'The IDs are compared once an adapter is selected.',
      fields,
    };
  }
  const explanation: string[] = [];
  for (const { field, label, meaning } of FIELDS) {
    const row = fields.find((f) => f.field === field) as IdComparison;
    const image = row.image as number;
    if (row.status === 'differs') {
      explanation.push(
        `${label} differs: the image is for ${describeId(field, image, imageIds.vendorId)}, ${adapterName} is ${describeId(field, row.adapter as number, adapterIds.vendorId)}. ${meaning}`,
      );
    } else if (row.status === 'not-in-image') {
      explanation.push(`${label}: the image's header leaves it unset (0), so it was not compared.`);
    } else if (row.status === 'not-on-adapter') {
      explanation.push(
        `${label}: ${adapterName}'s device tree has no such property (the kernel writes 0), so it was not compared.`,
      );
    }
  }
  const differing = fields.filter((f) => f.status === 'differs').map((f) => f.label);
  if (differing.length > 0) {
    return {
      verdict: 'mismatch',
      summary: `Mismatch: the image was built for a different adapter (${differing.join(', ')} ID${differing.length > 1 ? 's differ' : ' differs'}).`,
      explanation,
      advice: `Do not flash this image onto ${adapterName}. Get the image built for ${idList(adapterIds)}, or select the adapter the image is for with --card.`,
      fields,
    };
  }
  if (fields.every((f) => f.status === 'same')) {
    return {
      verdict: 'match',
      summary: `Match: the image's header was written for ${idList(imageIds)}, the IDs ${adapterName} has.`,
      explanation: [],
      advice: null,
      fields,
    };
  }
  return {
    verdict: 'partial',
    summary: `Partial match: every ID present on both sides agrees, but not all could be compared.`,
    explanation,
    advice: null,
    fields,
  };
}
