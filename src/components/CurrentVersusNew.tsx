/**
 * What the adapter runs now beside what it will run (the `plan` event): the PSL revision from
 * the device tree, the image the journal last flashed onto this card, and the new image, so the
 * review never asks to flash without saying what is replaced.
 */
import { Text } from 'ink';
import type { FlashPlan } from '../flash/events.js';
import { formatBytes } from '../report/format.js';
import { Field } from './Field.js';

export function CurrentVersusNew({ plan }: { readonly plan: FlashPlan }) {
  const { current } = plan;
  const revision = `PSL revision ${current.pslRevision ?? 'unknown'}`;
  return (
    <>
      <Field label="Runs now">
        {current.image
          ? `${revision}; last flashed with ${current.image.path} (${formatBytes(current.image.size)}) on ${current.image.time}`
          : `${revision}; image unknown (the journal has no successful flash of this card)`}
      </Field>
      {current.note ? <Field label="">{current.note}</Field> : null}
      <Field label="Will run">
        {`${plan.new.path} (${formatBytes(plan.new.size)}); its PSL revision shows after the reload`}
      </Field>
      {plan.sameImage ? (
        <Text color="yellow">The journal says the card already runs this very image.</Text>
      ) : null}
    </>
  );
}
