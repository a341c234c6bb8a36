/** Why a flash failed: errno and its meaning, the hypervisor's return code, the adapter now. */
import { Box, Text } from 'ink';
import type { ErrorDetails } from '../flash/events.js';
import { Field } from './Field.js';
import { useGlyphs } from './context.js';
import { plain } from './glyphs.js';

export function FailureDetails({
  error,
  nextStep,
}: {
  readonly error: ErrorDetails;
  /** the result's next step; the error's action is shown only when it says more */
  readonly nextStep?: string;
}) {
  const glyphs = useGlyphs();
  const where = error.call === null ? error.phase : `${error.phase}, call ${error.call + 1}`;
  const errno =
    error.errnoName === null
      ? 'no errno'
      : `${error.errnoName}${error.errno === null ? '' : ` (${error.errno})`}`;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Field label="Where">{where}</Field>
      <Field label="Error">{plain(glyphs, `${errno}: ${error.meaning}`)}</Field>
      <Field label="Hypervisor">
        {error.hcall
          ? plain(glyphs, `${error.hcall.name} (${error.hcall.rc}): ${error.hcall.meaning}`)
          : 'no hypervisor return code in the kernel log'}
      </Field>
      <Field label="Adapter now">
        <Text bold>{plain(glyphs, error.adapterState)}</Text>
      </Field>
      {error.action !== nextStep ? (
        <Field label="What to do">
          <Text bold>{plain(glyphs, error.action)}</Text>
        </Field>
      ) : null}
    </Box>
  );
}
