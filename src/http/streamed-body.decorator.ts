import { SetMetadata } from '@nestjs/common';

export const STREAMED_BODY = 'streamedBody';

/**
 * The route reads its own body as a stream (file uploads, up to FILES_MAX_BYTES, relayed to
 * Google as they arrive): the body guard leaves it unread and BODY_LIMIT does not apply. The
 * password guard still runs first, so no byte is read before the password is accepted.
 */
export const StreamedBody = (): MethodDecorator => SetMetadata(STREAMED_BODY, true);
