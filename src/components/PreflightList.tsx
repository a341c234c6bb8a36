/** The preflight checks: passes on one line, each warning and failure with its fix. */
import { StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { PreflightCheck } from '../hardware/types.js';
import { useGlyphs } from './context.js';
import { plain } from './glyphs.js';

export function PreflightList({ checks }: { readonly checks: readonly PreflightCheck[] }) {
  const glyphs = useGlyphs();
  const passed = checks.filter((c) => c.status === 'pass');
  const others = checks.filter((c) => c.status !== 'pass');
  const count = (s: PreflightCheck['status']): number =>
    checks.filter((c) => c.status === s).length;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text>
        {count('pass')} passed, {count('warn')} warning{count('warn') === 1 ? '' : 's'},{' '}
        {count('fail')} failed
      </Text>
      {passed.length > 0 ? (
        <StatusMessage variant="success">
          {plain(glyphs, `Passed: ${passed.map((c) => c.label).join(', ')}`)}
        </StatusMessage>
      ) : null}
      {others.map((check) => (
        <Box key={check.id} flexDirection="column">
          <StatusMessage variant={check.status === 'fail' ? 'error' : 'warning'}>
            <Text bold>{check.status === 'fail' ? 'FAIL' : 'WARN'}</Text>{' '}
            {plain(glyphs, `${check.label}: ${check.message}`)}
          </StatusMessage>
          {check.fix ? (
            <Box paddingLeft={4}>
              <Text>{plain(glyphs, `fix: ${check.fix}`)}</Text>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}
