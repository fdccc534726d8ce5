using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Silo.Postgres;

/// <summary>
/// A private PostgreSQL server that lives in one folder: local mode's database, and the test harness's.
/// <para>
/// It is started with <c>pg_ctl</c> so the server outlives a crash of the app; the next start finds the
/// running server through <c>postmaster.pid</c> and reuses it instead of failing on a locked data directory.
/// When the app runs as root the server runs as the <c>postgres</c> OS user, because PostgreSQL refuses root.
/// </para>
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private const string SuperUser = "flexoraa";
    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    private readonly bool _runAsPostgresUser;

    public string RootDirectory { get; }
    public string DataDirectory => Path.Combine(RootDirectory, "data");
    public int Port { get; private set; }
    public bool Started { get; private set; }
    private string PasswordFile => Path.Combine(RootDirectory, "superuser.password");
    private string LogFile => Path.Combine(RootDirectory, "server.log");

    public LocalPostgresServer(string rootDirectory, PostgresBinaries? binaries = null, ILogger? logger = null)
    {
        RootDirectory = Path.GetFullPath(rootDirectory);
        _binaries = binaries ?? PostgresBinaries.FindOrThrow();
        _logger = logger ?? NullLogger.Instance;
        _runAsPostgresUser = Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();
    }

    /// <summary>Connection string for the superuser to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
        Pooling = true,
        MaxPoolSize = 100,
    }.ConnectionString;

    /// <summary>Initialises the data folder if it is new, then starts the server or reuses the one already running on it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(RootDirectory);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(cancellationToken);
        }

        var runningPort = RunningServerPort();
        if (runningPort is int port && await AcceptsConnectionsAsync(port, cancellationToken))
        {
            Port = port;
            _logger.LogInformation("Reusing the PostgreSQL server already running on port {Port} for {DataDirectory}", Port, DataDirectory);
            return;
        }

        Port = PreferredPort();
        var options = string.Join(' ',
            "-c listen_addresses=127.0.0.1",
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            "-c unix_socket_directories=''",
            // Enough headroom for several silos, a frontend and the test suite's parallel classes.
            "-c max_connections=400",
            "-c shared_buffers=128MB",
            // A throwaway dev server favours start-up speed; durability of each commit is kept (fsync stays on).
            "-c synchronous_commit=on");
        await RunAsync(_binaries.PgCtl, ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile, "-o", options], cancellationToken);
        Started = true;
        await File.WriteAllTextAsync(PortFile, Port.ToString(CultureInfo.InvariantCulture), cancellationToken);
        _logger.LogInformation("Started PostgreSQL on 127.0.0.1:{Port} with data in {DataDirectory}", Port, DataDirectory);
    }

    /// <summary>Creates <paramref name="database"/> if it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        // A one-off admin connection: unpooled, so nothing stale is left behind when this server restarts.
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another process created it between our check and our create: that is what we wanted.
            }
        }
    }

    /// <summary>Stops the server. <paramref name="immediate"/> skips the shutdown checkpoint: only for data that is thrown away next.</summary>
    public async Task StopAsync(bool immediate = false)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))) return;
        await RunAsync(_binaries.PgCtl, ["stop", "-w", "-m", immediate ? "immediate" : "fast", "-D", DataDirectory], CancellationToken.None);
        Started = false;
        _logger.LogInformation("Stopped PostgreSQL for {DataDirectory}", DataDirectory);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // initdb reads the password from a file so it never shows in a process listing.
        var pwFile = Path.Combine(RootDirectory, ".initdb-pw");
        await File.WriteAllTextAsync(pwFile, password, cancellationToken);
        try
        {
            if (_runAsPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", RootDirectory], cancellationToken, asPostgres: false);
            }
            await RunAsync(_binaries.InitDb,
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", pwFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                cancellationToken);
        }
        finally
        {
            File.Delete(pwFile);
        }
        _logger.LogInformation("Initialised a new PostgreSQL data directory at {DataDirectory}", DataDirectory);
    }

    /// <summary>The port in <c>postmaster.pid</c> (line 4) if a server claims this data directory.</summary>
    private int? RunningServerPort()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        Port = port;
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString() + ";Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            return false;
        }
    }

    private string PortFile => Path.Combine(RootDirectory, "last-port");

    /// <summary>
    /// The port of the previous run when it is still free, so a restarted server is where its clients (a running app,
    /// a developer's psql) expect it; otherwise any free loopback port.
    /// </summary>
    private int PreferredPort()
    {
        if (File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile), NumberStyles.Integer, CultureInfo.InvariantCulture, out var last) && IsFree(last))
        {
            return last;
        }
        return FreeLoopbackPort();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres && _runAsPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", fileName }) start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = fileName;
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}");
        // pg_ctl start leaves the server holding inherited pipes open; read until the launcher itself exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? TailOf(LogFile) : "";
            throw new InvalidOperationException(
                $"`{Path.GetFileName(fileName)} {string.Join(' ', arguments)}` failed with exit code {process.ExitCode}: " +
                $"{(stderr.IsCompleted ? await stderr : "")}{(stdout.IsCompleted ? await stdout : "")}{log}");
        }
    }

    private static string TailOf(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return Environment.NewLine + "server log:" + Environment.NewLine + string.Join(Environment.NewLine, lines.TakeLast(15));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
