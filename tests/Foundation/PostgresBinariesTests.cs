using Flexoraa.Silo.Postgres;

namespace Flexoraa.Tests.Foundation;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void Without_postgres_installed_the_error_says_how_to_install_it_or_where_to_point_the_connection_string()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;

        var error = Assert.Throws<PostgresNotInstalledException>(() => PostgresBinaries.FindOrThrow([empty, "/nonexistent/bin"]));

        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings__Postgres", error.Message);
    }

    [Fact]
    public void The_first_folder_with_initdb_and_pg_ctl_wins()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        var fake = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(fake, "initdb"), "");
        File.WriteAllText(Path.Combine(fake, "pg_ctl"), "");

        Assert.Equal(fake, PostgresBinaries.Find([empty, fake])?.Directory);
    }

    [Fact]
    public void This_machine_has_postgres_where_local_mode_looks_for_it()
    {
        // The test suite itself depends on this; failing here says so plainly instead of in every database test.
        Assert.NotNull(PostgresBinaries.Find());
    }
}
