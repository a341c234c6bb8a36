/**
 * `cxl-flasher completion bash|zsh|fish`: prints the shell's completion script, built from the
 * program's own commands and options. The hidden `__cards` prints the card names and location
 * codes (with the same --simulate/--state-dir) for the scripts to offer after --card.
 */
import { Argument, type Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { withContext, type RegisterCommand } from './command-kit.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export const registerCompletion: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      [
        '',
        'It completes commands, options, card names and location codes (--card), simulator',
        'scenarios (--simulate=) and image files.',
        '',
        'Exit codes: 0 printed, 2 an unknown shell.',
        '',
        'Examples:',
        '  cxl-flasher completion bash > /etc/bash_completion.d/cxl-flasher',
        '  cxl-flasher completion zsh > "${fpath[1]}/_cxl-flasher"',
        '  cxl-flasher completion fish > ~/.config/fish/completions/cxl-flasher.fish',
      ].join('\n'),
    )
    .action(async (shell: (typeof SHELLS)[number]) => {
      const { completionModel } = await import('../completion/model.js');
      const { SCENARIO_CATALOGUE } = await import('../sim/scenarios.js');
      const model = completionModel(
        program,
        SCENARIO_CATALOGUE.map((s) => s.syntax),
      );
      const scripts = {
        bash: async () => (await import('../completion/bash.js')).bashScript(model),
        zsh: async () => (await import('../completion/zsh.js')).zshScript(model),
        fish: async () => (await import('../completion/fish.js')).fishScript(model),
      };
      process.stdout.write(await scripts[shell]());
      setExitCode(ExitCode.Success);
    });

  program
    .command('__cards', { hidden: true })
    .description('card names and location codes, one a line (for shell completion)')
    .action(
      withContext<object>(setExitCode, async (context) => {
        const { readCards } = await import('../hardware/cards.js');
        for (const card of readCards(context.root)) {
          process.stdout.write(`${card.name}\n`);
          if (card.node.locationCode.ok) process.stdout.write(`${card.node.locationCode.value}\n`);
        }
        return ExitCode.Success;
      }),
    );
};
