/** Image, header, preflight, then the confirmation (docs/architecture.md §3.3, §3.4). */
import { Spinner } from '@inkjs/ui';
import { useMemo } from 'react';
import { ConfirmFlash } from './ConfirmFlash.js';
import { CurrentVersusNew } from './CurrentVersusNew.js';
import { useFlash, useGlyphs } from './context.js';
import { HeaderTable } from './HeaderTable.js';
import { BACK, QUIT, scrollAll } from './help.js';
import { useBackKey } from './hooks/useBackKey.js';
import { readImageReport } from './image-report.js';
import { ImageFacts } from './ImageFacts.js';
import { PreflightList } from './PreflightList.js';
import { ScrollArea } from './ScrollArea.js';
import { Section } from './Section.js';
import { WizardFrame } from './WizardFrame.js';

export function ReviewScreen() {
  const glyphs = useGlyphs();
  const image = useFlash((s) => s.image);
  const card = useFlash((s) => s.card);
  const checks = useFlash((s) => s.preflight);
  const plan = useFlash((s) => s.plan);
  const report = useMemo(() => readImageReport(image?.report), [image]);
  useBackKey();
  const help = [
    { keys: 'y', does: 'flash' },
    { keys: 'n/Enter', does: 'back' },
    scrollAll(glyphs),
    BACK,
    QUIT,
  ];
  return (
    <WizardFrame help={help}>
      <ScrollArea arrows>
        {image ? (
          <Section title="Image" first>
            <ImageFacts image={image} report={report} />
          </Section>
        ) : null}
        {plan ? (
          <Section title="Current and new">
            <CurrentVersusNew plan={plan} />
          </Section>
        ) : null}
        {report.headers.map((h) => (
          <Section key={h.title} title={h.title}>
            <HeaderTable rows={h.rows} />
          </Section>
        ))}
        <Section title="Preflight">
          {checks.length > 0 ? (
            <PreflightList checks={checks} />
          ) : (
            <Spinner type={glyphs.spinner} label="Running the preflight checks" />
          )}
        </Section>
      </ScrollArea>
      {image && checks.length > 0 ? (
        <ConfirmFlash card={card} imagePath={image.path} checks={checks} />
      ) : null}
    </WizardFrame>
  );
}
