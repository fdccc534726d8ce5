using System.Diagnostics;

namespace Flexoraa.Silo.Postgres;

/// <summary>
/// Where the PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>, <c>postgres</c>) live on this machine.
/// </summary>
public sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    public const string InstallHint =
        "Flexoraa's local mode needs the PostgreSQL server programs (initdb, pg_ctl, postgres). " +
        "Install them (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql@15`), " +
        "put them on PATH or set FLEXORAA_POSTGRES_BIN to their folder, " +
        "or point ConnectionStrings__Postgres at an existing server to run in cluster mode.";

    /// <summary>
    /// Looks in the order a developer would expect: an explicit override, PATH, <c>pg_config --bindir</c>,
    /// then the Debian layout <c>/usr/lib/postgresql/{version}/bin</c> (newest first). Debian does not put
    /// <c>initdb</c> on PATH, which is why the last two exist.
    /// </summary>
    public static PostgresBinaries? Find() => Find(Candidates());

    /// <summary>The first of <paramref name="candidates"/> that holds the server programs.</summary>
    public static PostgresBinaries? Find(IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return new PostgresBinaries(candidate);
            }
        }
        return null;
    }

    public static PostgresBinaries FindOrThrow() => FindOrThrow(Candidates());

    public static PostgresBinaries FindOrThrow(IEnumerable<string> candidates) =>
        Find(candidates) ?? throw new PostgresNotInstalledException(InstallHint);

    private static IEnumerable<string> Candidates()
    {
        var explicitBin = Environment.GetEnvironmentVariable("FLEXORAA_POSTGRES_BIN");
        if (!string.IsNullOrWhiteSpace(explicitBin)) yield return explicitBin;

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        var fromPgConfig = PgConfigBinDir();
        if (fromPgConfig is not null) yield return fromPgConfig;

        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var versions = System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(x => x.Version);
            foreach (var (dir, _) in versions) yield return Path.Combine(dir, "bin");
        }
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed: not an error, just one fewer place to look.
        }
    }
}
