namespace Postern.Hosting;

/// <summary>Joins the maps to the process's database: a <c>pgsql:</c> map opens as a table of <see cref="MapSources"/>.</summary>
internal static class MapSetup
{
    public static MapTables Tables(Config.PosternConfiguration configuration, MapSources sources) =>
        new(configuration, sources.Database is null ? null : sources.Table);
}
