/** Bot API error answers with Telegram's real texts. */

/** Thrown inside method handlers; the server turns it into `{ok:false, error_code, description}`. */
export class TelegramApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

/** A 400 "Bad Request: ..." error. */
export function badRequest(reason: string): TelegramApiError {
  return new TelegramApiError(400, `Bad Request: ${reason}`);
}

/** Exact texts the real Bot API answers with (collected from reports and the Bot API server). */
export const TG = {
  buttonDataInvalid: 'BUTTON_DATA_INVALID',
  messageTooLong: 'message is too long',
  messageEmpty: 'message text is empty',
  captionTooLong: 'message caption is too long',
  answerTooLong: 'MESSAGE_TOO_LONG',
  queryTooOld: 'query is too old and response timeout expired or query ID is invalid',
  notModified:
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  editNotFound: 'message to edit not found',
  deleteNotFound: 'message to delete not found',
  cantEdit: "message can't be edited",
  noTextToEdit: 'there is no text in the message to edit',
  noCaptionToEdit: 'there is no caption in the message to edit',
  replyNotFound: 'message to be replied not found',
  chatNotFound: 'chat not found',
  wrongFileId: 'wrong file identifier/HTTP URL specified',
  urlContentFailed: 'failed to get HTTP URL content',
  photoDimensions: 'PHOTO_INVALID_DIMENSIONS',
  imageProcessFailed: 'IMAGE_PROCESS_FAILED',
  fileTooBig: 'file is too big',
  commandInvalid: 'BOT_COMMAND_INVALID',
  commandDescriptionInvalid: 'BOT_COMMAND_DESCRIPTION_INVALID',
  reactionInvalid: 'REACTION_INVALID',
  reactionsTooMany: 'REACTIONS_TOO_MANY',
  reactNotFound: 'message to react not found',
} as const;

export function tooManyRequests(retryAfter: number): TelegramApiError {
  return new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
}

export function missingParam(name: string): TelegramApiError {
  return badRequest(`${name} is empty`);
}
