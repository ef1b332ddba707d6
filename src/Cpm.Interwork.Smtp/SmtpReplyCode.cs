namespace Cpm.Interwork.Smtp;

/// <summary>RFC 5321 §4.2.2–4.2.3 reply codes used by this library.</summary>
public static class SmtpReplyCode
{
    public const int SystemStatus = 211;
    public const int HelpMessage = 214;
    public const int ServiceReady = 220;
    public const int ServiceClosing = 221;
    public const int Ok = 250;
    public const int CannotVerify = 252;
    public const int StartMailInput = 354;
    public const int ServiceNotAvailable = 421;
    public const int MailboxBusy = 450;
    public const int LocalError = 451;
    public const int InsufficientStorage = 452;
    public const int TlsNotAvailable = 454;
    public const int SyntaxError = 500;
    public const int ParameterSyntaxError = 501;
    public const int CommandNotImplemented = 502;
    public const int BadSequence = 503;
    public const int ParameterNotImplemented = 504;
    public const int MailboxUnavailable = 550;
    public const int ExceededStorage = 552;
    public const int MailboxNameNotAllowed = 553;
    public const int TransactionFailed = 554;
    public const int ParametersNotRecognized = 555;
}
