/**
 * The course kit's Grade button.
 *
 * A "Grade" button on the toolbar of the kit's notebooks (exercises and quizzes: their metadata
 * says `kit.module`, and they live at exercises/<id>/<id>.ipynb) and a command-palette entry. It
 * saves the notebook, asks the kit's server extension (autograder/server_extension.py) to grade it
 * with the same pipeline as `make grade`, and shows the result in a dialog: points and pass/fail
 * per check with the diagnosis, the total, and a link that opens the HTML feedback report in a
 * JupyterLab tab.
 */

import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  IFrame,
  MainAreaWidget,
  Notification
} from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import {
  INotebookModel,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';
import type { DocumentRegistry } from '@jupyterlab/docregistry';

const PLUGIN_ID = 'ml-course-kit-grade:plugin';
const NAMESPACE = 'ml-course-kit';
const CATEGORY = 'Course kit';

namespace CommandIDs {
  export const grade = 'ml-course-kit:grade';
  export const openFeedback = 'ml-course-kit:open-feedback';
}

const NOT_KIT =
  'This notebook is not one of the course kit\u2019s exercises or quizzes: the Grade button grades exercises/<module>/<module>.ipynb.';

interface ITest {
  grade_id: string;
  points: number;
  max_points: number;
  passed: boolean;
  message: string;
}

interface INotebookResult {
  module: string;
  path: string;
  score: number;
  max_score: number;
  feedback: string;
  notes: string[];
  unchanged_since: string | null;
  tests: ITest[];
}

interface IGradeAnswer {
  status: 'graded' | 'not-kit' | 'error';
  message?: string;
  seconds?: number;
  joined?: boolean;
  run?: { score: number; max_score: number; notes: string[]; notebooks: INotebookResult[] };
}

/** Which module a notebook is, or null when it is not one of the kit's. */
function kitModule(panel: NotebookPanel): string | null {
  const meta = panel.context.model?.getMetadata('kit') as { module?: unknown } | undefined;
  if (meta && typeof meta.module === 'string' && meta.module) {
    return meta.module;
  }
  const m = /(?:^|\/)exercises\/([^/]+)\/\1\.ipynb$/.exec(panel.context.path);
  return m ? m[1] : null;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Gradings in flight, by notebook path, and the buttons that show them. */
class GradingState {
  private inFlight = new Map<string, Promise<void>>();
  private listeners = new Set<() => void>();

  isGrading(path: string): boolean {
    return this.inFlight.has(path);
  }

  run(path: string, work: () => Promise<void>): Promise<void> {
    const promise = work().finally(() => {
      this.inFlight.delete(path);
      this.changed();
    });
    this.inFlight.set(path, promise);
    this.changed();
    return promise;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.listeners.forEach(listener => listener());
  }
}

/** The toolbar button: "Grade", or "Grading…" while its notebook is being graded. */
class GradeButton extends Widget {
  constructor(
    private panel: NotebookPanel,
    private state: GradingState,
    onClick: () => void
  ) {
    super();
    this.addClass('jp-Toolbar-item');
    this.addClass('ml-kit-grade-item');
    this.button = el('button', 'jp-ToolbarButtonComponent jp-mod-minimal jp-Button ml-kit-grade-button');
    this.button.type = 'button';
    this.button.title =
      'Grade this notebook with the course kit (the same grading as make grade): saves it first';
    this.label = el('span', 'jp-ToolbarButtonComponent-label', 'Grade');
    this.button.appendChild(this.label);
    this.node.appendChild(this.button);
    this.button.addEventListener('click', () => onClick());
    this.unlisten = state.onChange(() => this.refresh());
    this.refresh();
  }

  refresh(): void {
    const busy = this.state.isGrading(this.panel.context.path);
    this.label.textContent = busy ? 'Grading\u2026' : 'Grade';
    this.button.classList.toggle('ml-kit-grading', busy);
    this.button.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  dispose(): void {
    this.unlisten();
    super.dispose();
  }

  private button: HTMLButtonElement;
  private label: HTMLSpanElement;
  private unlisten: () => void;
}

async function requestGrade(path: string): Promise<IGradeAnswer> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, NAMESPACE, 'grade');
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      url,
      { method: 'POST', body: JSON.stringify({ path }) },
      settings
    );
  } catch (error) {
    return {
      status: 'error',
      message:
        'JupyterLab could not reach its server to grade the notebook (is the terminal running `make lab` still open?). ' +
        'Your notebook is saved; grade it with `make grade` in a terminal, or restart `make lab` and press Grade again.'
    };
  }
  const text = await response.text();
  if (!response.ok) {
    let reason = text;
    try {
      reason = JSON.parse(text).message || text;
    } catch {
      // not JSON: the text as it is
    }
    return {
      status: 'error',
      message:
        `The server refused to grade the notebook (HTTP ${response.status}: ${reason.trim().slice(0, 300)}). ` +
        'Your notebook is saved; grade it with `make grade` in a terminal.'
    };
  }
  return JSON.parse(text) as IGradeAnswer;
}

function resultBody(
  nb: INotebookResult,
  seconds: number,
  openFeedback: () => void
): Widget {
  const body = new Widget();
  const root = body.node;
  root.classList.add('ml-kit-grade-result');
  root.dataset.module = nb.module;
  root.dataset.score = String(nb.score);
  root.dataset.maxScore = String(nb.max_score);
  root.dataset.clickToTableSeconds = seconds.toFixed(2);
  const passed = nb.tests.filter(t => t.passed).length;
  root.appendChild(
    el(
      'p',
      'ml-kit-grade-summary',
      `${nb.module}: ${fmt(nb.score)} / ${fmt(nb.max_score)} points, ${passed} of ${nb.tests.length} checks passed.`
    )
  );
  if (nb.unchanged_since) {
    root.appendChild(
      el('p', 'ml-kit-grade-unchanged', `Unchanged since ${nb.unchanged_since.replace('T', ' ')}: the result recorded then.`)
    );
  }
  const table = el('table', 'ml-kit-grade-table');
  const head = table.createTHead().insertRow();
  for (const title of ['check', 'points', 'result', 'diagnosis']) {
    head.appendChild(el('th', undefined, title));
  }
  const rows = table.createTBody();
  for (const t of nb.tests) {
    const row = rows.insertRow();
    row.className = t.passed ? 'ml-kit-pass' : 'ml-kit-fail';
    row.dataset.check = t.grade_id;
    row.appendChild(el('td', 'ml-kit-check', t.grade_id));
    row.appendChild(el('td', 'ml-kit-points', `${fmt(t.points)} / ${fmt(t.max_points)}`));
    row.appendChild(el('td', 'ml-kit-status', t.passed ? 'pass' : 'FAIL'));
    row.appendChild(el('td', 'ml-kit-message', t.message));
  }
  const total = table.createTFoot().insertRow();
  total.className = 'ml-kit-total';
  total.appendChild(el('td', undefined, 'total'));
  total.appendChild(el('td', 'ml-kit-points', `${fmt(nb.score)} / ${fmt(nb.max_score)}`));
  total.appendChild(el('td', undefined, nb.score >= nb.max_score ? 'pass' : ''));
  total.appendChild(el('td'));
  root.appendChild(table);
  if (nb.notes.length) {
    const notes = el('ul', 'ml-kit-grade-notes');
    nb.notes.forEach(note => notes.appendChild(el('li', undefined, note)));
    root.appendChild(notes);
  }
  if (nb.feedback) {
    const p = el('p');
    const link = el('a', 'ml-kit-feedback-link', 'Open the feedback report');
    link.href = '#';
    link.addEventListener('click', event => {
      event.preventDefault();
      openFeedback();
    });
    p.appendChild(link);
    p.appendChild(document.createTextNode(' (in a JupyterLab tab; it is also in the grading folder)'));
    root.appendChild(p);
  }
  return body;
}

function paragraph(text: string, className: string): Widget {
  const body = new Widget();
  body.node.appendChild(el('p', className, text));
  return body;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The course kit\u2019s Grade button: grade the open exercise or quiz and see the result.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null
  ) => {
    const state = new GradingState();
    const feedbackTabs = new Map<string, MainAreaWidget<IFrame>>();

    const openFeedback = (assignment: string): void => {
      const settings = ServerConnection.makeSettings();
      const url =
        URLExt.join(settings.baseUrl, NAMESPACE, 'feedback', encodeURIComponent(assignment)) +
        `?t=${Date.now()}`;
      let tab = feedbackTabs.get(assignment);
      if (!tab || tab.isDisposed) {
        const frame = new IFrame({ sandbox: ['allow-scripts', 'allow-popups'] });
        tab = new MainAreaWidget({ content: frame });
        tab.id = `ml-kit-feedback-${assignment}`;
        tab.addClass('ml-kit-feedback');
        tab.title.label = `${assignment} feedback`;
        tab.title.closable = true;
        feedbackTabs.set(assignment, tab);
      }
      tab.content.url = url;
      if (!tab.isAttached) {
        app.shell.add(tab, 'main');
      }
      app.shell.activateById(tab.id);
    };

    const showResult = (answer: IGradeAnswer, seconds: number, name: string): void => {
      if (answer.status === 'not-kit') {
        Notification.warning(answer.message || NOT_KIT, { autoClose: 8000 });
        return;
      }
      const nb = answer.run?.notebooks?.[0];
      if (answer.status !== 'graded' || !nb) {
        const dialog = new Dialog({
          title: `Grading ${name} stopped`,
          body: paragraph(answer.message || 'The grader gave no result.', 'ml-kit-grade-error'),
          buttons: [Dialog.okButton({ label: 'Close' })]
        });
        dialog.addClass('ml-kit-grade-dialog');
        void dialog.launch();
        return;
      }
      if (answer.run?.notes?.length) {
        nb.notes = [...answer.run.notes, ...nb.notes];  // about the grading folder itself
      }
      let dialog: Dialog<unknown>;
      const body = resultBody(nb, seconds, () => {
        dialog.resolve(0);
        openFeedback(nb.module);
      });
      dialog = new Dialog({
        title: `Grade: ${fmt(nb.score)} / ${fmt(nb.max_score)}`,
        body,
        buttons: [Dialog.okButton({ label: 'Close' })]
      });
      dialog.addClass('ml-kit-grade-dialog');
      void dialog.launch();
    };

    const grade = async (panel: NotebookPanel): Promise<void> => {
      const path = panel.context.path;
      const name = panel.context.path.split('/').pop() || path;
      if (kitModule(panel) === null) {
        Notification.warning(NOT_KIT, { autoClose: 8000 });
        return;
      }
      if (state.isGrading(path)) {
        Notification.info(
          `Grading ${name}\u2026 please wait: the result opens here when it is done.`,
          { autoClose: 5000 }
        );
        return;
      }
      await state.run(path, async () => {
        const started = performance.now();
        const kernelBusy = panel.sessionContext.session?.kernel?.status === 'busy';
        try {
          await panel.context.save();
        } catch (error) {
          showResult(
            {
              status: 'error',
              message: `JupyterLab could not save ${name} (${error}), so it was not graded: the grader grades the saved notebook. Save it (File > Save Notebook) and press Grade again.`
            },
            0,
            name
          );
          return;
        }
        Notification.info(
          (kernelBusy
            ? `Your kernel is still running cells; the grader grades the saved ${name} from the top in its own kernel. `
            : `Grading ${name}\u2026 `) + 'The result opens here when it is done.',
          { autoClose: 4000 }
        );
        const answer = await requestGrade(path);
        showResult(answer, (performance.now() - started) / 1000, name);
      });
    };

    app.commands.addCommand(CommandIDs.grade, {
      label: 'Grade This Notebook',
      caption: 'Grade the open exercise or quiz with the course kit (the same grading as make grade)',
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) {
          Notification.warning('Open an exercise or quiz notebook first: Grade grades the notebook in front.');
          return;
        }
        await grade(panel);
      }
    });
    app.commands.addCommand(CommandIDs.openFeedback, {
      label: 'Open Feedback Report',
      execute: args => openFeedback(String(args.assignment))
    });
    palette?.addItem({ command: CommandIDs.grade, category: CATEGORY });

    const extension: DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> = {
      createNew: (panel: NotebookPanel) => {
        const button = new GradeButton(panel, state, () => void grade(panel));
        button.hide();
        panel.toolbar.insertItem(10, 'ml-kit-grade', button);
        const update = () => {
          if (kitModule(panel) !== null) {
            button.show();
          } else {
            button.hide();
          }
        };
        void panel.context.ready.then(() => {
          update();
          panel.context.model.metadataChanged.connect(update);
        });
        panel.context.pathChanged.connect(update);
        return button;
      }
    };
    app.docRegistry.addWidgetExtension('Notebook', extension);
  }
};

export default plugin;
