using Flexoraa.Tenants;

namespace Flexoraa.Tests.Identity;

public sealed class PermissionTableTests
{
    [Fact]
    public void The_documented_permission_table_is_the_matrix_in_code()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "security.md"));
        var start = Array.FindIndex(readme, l => l.Contains("permission-table:start", StringComparison.Ordinal));
        var end = Array.FindIndex(readme, l => l.Contains("permission-table:end", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "docs/security.md must keep the permission table between its markers.");

        var documented = readme[(start + 3)..end]
            .Select(row => row.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToDictionary(cells => Enum.Parse<Permission>(cells[0]), cells => cells[1..].Select(c => c == "✓").ToArray());

        var roles = new[] { TenantRole.Owner, TenantRole.Admin, TenantRole.Sdr, TenantRole.Member };
        Assert.Equal(Enum.GetValues<Permission>().Order(), documented.Keys.Order());
        foreach (var (permission, granted) in documented)
        {
            Assert.Equal(roles.Select(r => RolePermissions.Allows(r, permission)), granted);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flexoraa.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
