/**
 * Premia — the daily recalculation trigger and the list of spreadsheets it serves.
 *
 * A user has at most one Premia time-driven trigger; the spreadsheets it recalculates are listed in
 * the user's User Properties (they are per user and per script, like the trigger itself).
 */

/** The ids of the spreadsheets this user recalculates daily (a damaged list reads as empty). */
function dailySpreadsheetIds_() {
  const stored = PropertiesService.getUserProperties().getProperty(DAILY_LIST_PROPERTY);
  const ids = stored ? parseJson_(stored) : [];
  return Array.isArray(ids) ? ids.filter(function (id) { return typeof id === 'string' && id; }) : [];
}

/** Stores the daily list; an empty list removes the property altogether. */
function saveDailySpreadsheetIds_(ids) {
  const properties = PropertiesService.getUserProperties();
  if (ids.length) properties.setProperty(DAILY_LIST_PROPERTY, JSON.stringify(ids));
  else properties.deleteProperty(DAILY_LIST_PROPERTY);
}

/** This user's Premia triggers: those that call dailyRecalculation, and no other. */
function premiaTriggers_() {
  return ScriptApp.getProjectTriggers().filter(function (trigger) {
    return trigger.getHandlerFunction() === DAILY_HANDLER;
  });
}

/** Makes sure exactly one daily Premia trigger exists: creates it, or removes extra copies. */
function ensureDailyTrigger_() {
  const existing = premiaTriggers_();
  if (existing.length === 0) {
    ScriptApp.newTrigger(DAILY_HANDLER).timeBased().everyDays(1).atHour(DAILY_HOUR).create();
    return;
  }
  existing.slice(1).forEach(function (trigger) { ScriptApp.deleteTrigger(trigger); });
}
