/** The kernel, driver and hypervisor facts at the top of the status dashboard. */
import { Box, Text } from 'ink';
import { formatRate } from '../report/format.js';
import { runningFlashLine } from '../report/running-flash.js';
import type { StatusSnapshot } from '../report/status-snapshot.js';
import { useGlyphs } from './context.js';
import { Field } from './Field.js';
import { plain } from './glyphs.js';
import { formatWhen } from './layout.js';

export function SystemFacts({ snapshot }: { readonly snapshot: StatusSnapshot }) {
  const glyphs = useGlyphs();
  const s = snapshot;
  const guest =
    s.powervmGuest === null
      ? 'unknown (no hypertas property)'
      : s.powervmGuest
        ? 'yes (hcall-ca)'
        : 'NO';
  const f = s.flashing;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Field label="Kernel">{s.kernelRelease}</Field>
      <Field label="cxl driver">
        {plain(
          glyphs,
          `${s.driver.status}${glyphs.sep}module ${s.cxlModuleLoaded ? 'loaded' : 'NOT loaded'}${glyphs.sep}${s.driver.note}`,
        )}
      </Field>
      <Field label="PowerVM guest">{guest}</Field>
      <Field label="Flashing now">
        {f ? (
          <Box flexDirection="column">
            <Text color="yellow">
              {glyphs.warn} pid {f.pid} ({f.user}@{f.host}
              {f.sshClient ? ` from ${f.sshClient.split(' ')[0]}` : ''}) on {f.card ?? 'a card'},
              phase {f.phase}, since {formatWhen(f.startedAt)}
            </Text>
            {s.flash ? (
              <Text>{plain(glyphs, runningFlashLine(s.flash, formatRate).trim())}</Text>
            ) : null}
            <Text>
              {glyphs.arrow} cxl-flasher attach{f.card ? ` --card ${f.card}` : ''}
            </Text>
          </Box>
        ) : (
          'no'
        )}
      </Field>
    </Box>
  );
}
