import { SbError } from '@switchboard/http';

/** Coded errors of sign-in and account security; listed in docs/errors.md. */
export const accessErrors = {
  locked: (seconds: number) =>
    new SbError('SB_ERR_LOCKED', 429, `Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minute(s).`, { retryAfterSeconds: seconds }),
  totpRequired: () => new SbError('SB_ERR_TOTP_REQUIRED', 401, 'This account uses two-step sign-in: send the code from your authenticator app as totpCode.'),
  totpInvalid: () => new SbError('SB_ERR_TOTP_INVALID', 401, 'The authenticator code is not right (or was already used).'),
  deactivated: () => new SbError('SB_ERR_ACCOUNT_DEACTIVATED', 401, 'This account is deactivated; ask an admin of your team.'),
  resetTokenInvalid: () => new SbError('SB_ERR_RESET_TOKEN_INVALID', 400, 'This password-reset link is not valid, was already used or has expired; ask for a new one.'),
  invitationInvalid: () =>
    new SbError('SB_ERR_INVITATION_INVALID', 400, 'This invitation link is not valid or was already used; ask an admin of your team to invite you again.'),
  invitationExpired: () => new SbError('SB_ERR_INVITATION_EXPIRED', 410, 'This invitation link has expired; ask an admin of your team to invite you again.'),
  invitationNotPending: () => new SbError('SB_ERR_INVITATION_NOT_PENDING', 409, 'This agent has already accepted the invitation and set a password.'),
  emailTaken: () => new SbError('SB_ERR_EMAIL_TAKEN', 409, 'An account with this email already exists.'),
} as const;
