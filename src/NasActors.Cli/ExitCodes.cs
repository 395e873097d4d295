namespace NasActors.Cli;

public static class ExitCodes
{
    public const int Done = 0;
    public const int SearchFailed = 1;
    public const int UserError = 2;
    public const int Interrupted = 130;
}
