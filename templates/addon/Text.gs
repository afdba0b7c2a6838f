/**
 * Premia — every sentence the add-on shows a person, in English and Russian.
 *
 * The language follows the spreadsheet's locale (File → Settings → Locale): Russian when it starts
 * with "ru", else English. The other files never hold user-visible text: they ask text_('key') here.
 * Placeholders are written {name} and filled from the params object. Both tables must have the same
 * keys with the same placeholders (tests/addon/text.test.js checks it).
 *
 * The service's own messages (results, refusals) come from the service, which is told the language in
 * the Accept-Language header of every call (Service.gs).
 */

const TEXT = {
  en: {
    title: 'Premia',

    menuSetup: 'Set up tabs',
    menuRecalculate: 'Recalculate',
    menuExplain: 'Explain this cell',
    menuClose: 'Close month…',
    menuReopen: 'Re-open month…',
    menuPaid: 'Mark month paid…',
    menuWhatIf: 'What-if…',
    menuDailyOn: 'Daily recalculation on',
    menuDailyOff: 'Daily recalculation off',

    busy: 'A Premia recalculation is already running for this spreadsheet. Try again in a minute.',
    notConfigured: 'Premia is not configured yet: the administrator must set the PREMIA_SERVICE_URL ' +
        'script property to the address of the Premia service.',
    unreachable: 'Could not reach the Premia service ({error}). Check your connection and try again; ' +
        'if it keeps failing, ask your administrator to check the PREMIA_SERVICE_URL setting.',
    couldNotFinish: 'Premia could not finish: {error}',
    status401: 'Premia could not confirm your Google sign-in. Reload the spreadsheet and try again.',
    status403: 'Premia may not work on this spreadsheet with your Google account.',
    status404: 'The Premia service does not know this request (HTTP 404): check PREMIA_SERVICE_URL.',
    status429: 'The Premia service is busy. Wait a minute and try again.',
    status5xx: 'The Premia service had a problem (HTTP {status}). Try again in a few minutes.',
    unreadableAnswer: 'The Premia service sent an answer the add-on cannot read.',
    refused: 'The Premia service refused the request (HTTP {status}).',

    setupCreated: 'Created tabs: {tabs}.',
    setupNothing: 'All Premia tabs are already here.',
    recalculatedMonth: 'Recalculated {month}.',
    recalculatedReport: 'Recalculated the report.',
    issuesNone: 'Input issues: 0.',
    issuesSome: 'Input issues: {count} — see the Input issues tab.',

    explainSelectCell: 'Select a cell of a result tab first, then choose Explain this cell.',
    sidebarTitle: 'Premia — explain {place}',
    sidebarFormula: 'Formula',
    sidebarRule: 'Rule',
    sidebarContributions: 'Contributions',
    sidebarNoRows: 'No source rows contribute to this cell.',
    sidebarMoreRows: '… and {count} more rows: see the Explain tab.',
    columnSource: 'Source',
    columnDeal: 'Deal',
    columnClient: 'Client',
    columnBase: 'Base',
    columnRate: 'Rate',
    columnAmount: 'Amount',

    dailyOn: 'Daily recalculation is on: Premia recalculates this spreadsheet every day between ' +
        '{from}:00 and {to}:00 ({timeZone}).',
    dailyOff: 'Daily recalculation is off for this spreadsheet.',

    monthNeeded: 'Type a month as YYYY-MM, for example 2026-03. Nothing was changed.',
    monthFormat: '"{value}" is not a month: type it as YYYY-MM, for example 2026-03. Nothing was changed.',

    closeTitle: 'Close month',
    closePrompt: 'Which month do you want to close? Type it as YYYY-MM, for example 2026-03.',
    closePromptSuggested: 'Which month do you want to close (YYYY-MM)? Leave this blank to close ' +
        '{month}, the earliest open month that has ended.',
    closeConfirm: 'Close {month}? Its statements will be frozen; later corrections will appear as ' +
        'adjustments in the first open month.',
    closeDone: 'Closed {month}.',

    reopenTitle: 'Re-open month',
    reopenPrompt: 'Which month do you want to re-open? Type it as YYYY-MM, for example 2026-02.',
    reopenPromptSuggested: 'Which month do you want to re-open (YYYY-MM)? Leave this blank to re-open ' +
        '{month}, the latest closed month that is not paid.',
    reasonPrompt: 'Why re-open {month}? The reason is kept in the history of closed months.',
    reasonRequired: 'A month is re-opened only with a reason. Nothing was changed.',
    reopenConfirm: 'Re-open {month}? Its frozen statements will be removed and it will be recalculated ' +
        'from the current data. Reason: {reason}',
    reopenDone: 'Re-opened {month}.',

    paidTitle: 'Mark month paid',
    paidPrompt: 'Which month has been paid? Type it as YYYY-MM, for example 2026-02.',
    paidPromptSuggested: 'Which month has been paid (YYYY-MM)? Leave this blank to mark {month}.',
    paidConfirm: 'Mark {month} as paid? A paid month can never be re-opened.',
    paidDone: 'Marked {month} as paid.',

    whatIfTitle: 'What-if',
    whatIfPrompt: 'Which months should the Scenario tab be tried on? Type a period like ' +
        '2026-01..2026-12, or leave this blank for the last 12 months.',
    periodFormat: '"{value}" is not a period: type it like 2026-01..2026-12, or leave it blank for the ' +
        'last 12 months. Nothing was computed.',
    periodOrder: 'The period ends before it starts ({from}..{to}). Nothing was computed.',
    whatIfDone: 'The What-if tab now compares the current rules with the Scenario tab.',
  },

  ru: {
    title: 'Premia',

    menuSetup: 'Создать листы',
    menuRecalculate: 'Пересчитать',
    menuExplain: 'Объяснить ячейку',
    menuClose: 'Закрыть месяц…',
    menuReopen: 'Открыть месяц заново…',
    menuPaid: 'Отметить месяц выплаченным…',
    menuWhatIf: 'Что если…',
    menuDailyOn: 'Включить ежедневный пересчёт',
    menuDailyOff: 'Выключить ежедневный пересчёт',

    busy: 'Premia уже пересчитывает эту таблицу. Попробуйте через минуту.',
    notConfigured: 'Premia ещё не настроена: администратор должен указать адрес сервиса Premia ' +
        'в свойстве скрипта PREMIA_SERVICE_URL.',
    unreachable: 'Не удалось связаться с сервисом Premia ({error}). Проверьте подключение и попробуйте ' +
        'снова; если ошибка повторяется, попросите администратора проверить настройку PREMIA_SERVICE_URL.',
    couldNotFinish: 'Premia не смогла завершить действие: {error}',
    status401: 'Premia не смогла подтвердить ваш вход в Google. Перезагрузите таблицу и попробуйте снова.',
    status403: 'Premia не может работать с этой таблицей от имени вашего аккаунта Google.',
    status404: 'Сервис Premia не знает такого запроса (HTTP 404): проверьте PREMIA_SERVICE_URL.',
    status429: 'Сервис Premia перегружен. Подождите минуту и попробуйте снова.',
    status5xx: 'У сервиса Premia возникла проблема (HTTP {status}). Попробуйте через несколько минут.',
    unreadableAnswer: 'Сервис Premia прислал ответ, который надстройка не может прочитать.',
    refused: 'Сервис Premia отклонил запрос (HTTP {status}).',

    setupCreated: 'Созданы листы: {tabs}.',
    setupNothing: 'Все листы Premia уже на месте.',
    recalculatedMonth: 'Пересчитан месяц {month}.',
    recalculatedReport: 'Отчёт пересчитан.',
    issuesNone: 'Ошибок ввода: 0.',
    issuesSome: 'Ошибок ввода: {count} — см. лист «Ошибки ввода».',

    explainSelectCell: 'Сначала выберите ячейку листа с результатами, затем — «Объяснить ячейку».',
    sidebarTitle: 'Premia — пояснение {place}',
    sidebarFormula: 'Формула',
    sidebarRule: 'Правило',
    sidebarContributions: 'Из чего складывается',
    sidebarNoRows: 'Ни одна исходная строка не влияет на эту ячейку.',
    sidebarMoreRows: '… и ещё строк: {count}, см. лист «Детализация».',
    columnSource: 'Источник',
    columnDeal: 'Сделка',
    columnClient: 'Клиент',
    columnBase: 'База',
    columnRate: 'Ставка',
    columnAmount: 'Сумма',

    dailyOn: 'Ежедневный пересчёт включён: Premia пересчитывает эту таблицу каждый день между ' +
        '{from}:00 и {to}:00 ({timeZone}).',
    dailyOff: 'Ежедневный пересчёт этой таблицы выключен.',

    monthNeeded: 'Введите месяц в виде ГГГГ-ММ, например 2026-03. Ничего не изменено.',
    monthFormat: '«{value}» — не месяц: введите его в виде ГГГГ-ММ, например 2026-03. Ничего не изменено.',

    closeTitle: 'Закрыть месяц',
    closePrompt: 'Какой месяц закрыть? Введите его в виде ГГГГ-ММ, например 2026-03.',
    closePromptSuggested: 'Какой месяц закрыть (ГГГГ-ММ)? Оставьте поле пустым, чтобы закрыть ' +
        '{month} — самый ранний открытый месяц, который уже закончился.',
    closeConfirm: 'Закрыть {month}? Начисления за этот месяц будут заморожены; последующие исправления ' +
        'появятся как корректировки в первом открытом месяце.',
    closeDone: 'Месяц {month} закрыт.',

    reopenTitle: 'Открыть месяц заново',
    reopenPrompt: 'Какой месяц открыть заново? Введите его в виде ГГГГ-ММ, например 2026-02.',
    reopenPromptSuggested: 'Какой месяц открыть заново (ГГГГ-ММ)? Оставьте поле пустым, чтобы открыть ' +
        '{month} — последний закрытый и ещё не выплаченный месяц.',
    reasonPrompt: 'Почему {month} нужно открыть заново? Причина сохранится в истории закрытых месяцев.',
    reasonRequired: 'Месяц открывается заново только с указанием причины. Ничего не изменено.',
    reopenConfirm: 'Открыть {month} заново? Замороженные начисления будут удалены, и месяц будет ' +
        'пересчитан по текущим данным. Причина: {reason}',
    reopenDone: 'Месяц {month} снова открыт.',

    paidTitle: 'Отметить месяц выплаченным',
    paidPrompt: 'Какой месяц выплачен? Введите его в виде ГГГГ-ММ, например 2026-02.',
    paidPromptSuggested: 'Какой месяц выплачен (ГГГГ-ММ)? Оставьте поле пустым, чтобы отметить {month}.',
    paidConfirm: 'Отметить {month} как выплаченный? Выплаченный месяц никогда нельзя будет открыть заново.',
    paidDone: 'Месяц {month} отмечен как выплаченный.',

    whatIfTitle: 'Что если',
    whatIfPrompt: 'На каких месяцах проверить лист «Сценарий»? Введите период вида 2026-01..2026-12 ' +
        'или оставьте поле пустым для последних 12 месяцев.',
    periodFormat: '«{value}» — не период: введите его в виде 2026-01..2026-12 или оставьте поле пустым ' +
        'для последних 12 месяцев. Ничего не вычислено.',
    periodOrder: 'Период заканчивается раньше, чем начинается ({from}..{to}). Ничего не вычислено.',
    whatIfDone: 'Лист «Что если» теперь сравнивает текущие правила с листом «Сценарий».',
  },
};

/**
 * Lines for the execution log of the daily run. They are read by the administrator in the Apps
 * Script executions page or Cloud Logging, where one language keeps them searchable; a timer run has
 * no open spreadsheet whose locale could choose another.
 */
const LOG_TEXT = {
  dailyDone: 'Premia daily recalculation of {id}: {summary}',
  dailyFailed: 'Premia daily recalculation of {id} failed: {message}',
  dailySkipped: 'Premia daily recalculation of {id} skipped: out of time for this run.',
};

const DEFAULT_LANGUAGE = 'en';

// The language of this run, read once: Apps Script starts every run with fresh globals.
let runLanguage_ = null;

/** The text `key` in the language of the active spreadsheet, with {placeholders} filled from params. */
function text_(key, params) {
  return textIn_(uiLanguage_(), key, params);
}

/**
 * The text `key` in `language` (English when that table lacks it). An unknown key is a programming
 * error, so it throws rather than show a person a bare key.
 */
function textIn_(language, key, params) {
  const table = TEXT[language] || TEXT[DEFAULT_LANGUAGE];
  const template = key in table ? table[key] : TEXT[DEFAULT_LANGUAGE][key];
  if (template === undefined) throw new Error('Premia has no text named ' + key);
  return fillIn_(template, params);
}

/** A log line `key` with its {placeholders} filled. */
function logText_(key, params) {
  return fillIn_(LOG_TEXT[key], params);
}

/** `template` with every {name} replaced by params[name]; unknown names stay as they are. */
function fillIn_(template, params) {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, function (whole, name) {
    return params[name] === undefined || params[name] === null ? whole : String(params[name]);
  });
}

/** 'ru' when the active spreadsheet's locale is Russian, else 'en'; read once per run. */
function uiLanguage_() {
  if (runLanguage_ === null) runLanguage_ = languageOfLocale_(activeSpreadsheetLocale_());
  return runLanguage_;
}

/**
 * The language of the menu built by onOpen(e). In AuthMode.NONE (an add-on not yet used in this
 * document) reading the spreadsheet is not allowed, so the menu is English without trying.
 */
function menuLanguage_(e) {
  if (e && e.authMode === ScriptApp.AuthMode.NONE) return DEFAULT_LANGUAGE;
  return uiLanguage_();
}

/** The language for a locale such as "ru_RU" or "en_US". */
function languageOfLocale_(locale) {
  return /^ru/i.test(String(locale || '')) ? 'ru' : DEFAULT_LANGUAGE;
}

/**
 * The active spreadsheet's locale, or '' when there is none to read: a timer run has no active
 * document, and a run without the authorization to read it throws, which must not break the menu.
 */
function activeSpreadsheetLocale_() {
  try {
    const spreadsheet = SpreadsheetApp.getActive();
    return spreadsheet ? spreadsheet.getSpreadsheetLocale() : '';
  } catch (err) {
    return '';
  }
}
