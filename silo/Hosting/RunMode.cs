namespace Flexoraa.Silo.Hosting;

public enum RunMode
{
    /// <summary>No connection string: a private PostgreSQL under the data directory and a co-hosted silo.</summary>
    Local,

    /// <summary><c>ConnectionStrings:Postgres</c> is set: nothing is started for you.</summary>
    Cluster,
}
