using Flexoraa.Bench;

// dotnet run -c Release --project bench/Flexoraa.Bench -- ingest [--messages N] [--connections C] [--rate R] [--contacts K] [--per-webhook M] [--Orleans:…=…]
// dotnet run -c Release --project bench/Flexoraa.Bench -- realtime [--hub-connections 20000] [--seconds 5] [--Orleans:…=…]   (webhook → SignalR, connections)
// dotnet run -c Release --project bench/Flexoraa.Bench -- import [--rows 100000]   (lead CSV import end to end against raw COPY)
// dotnet run -c Release --project bench/Flexoraa.Bench -- publish-probe [--messages N] [--connections C]   (where ingest time goes)
if (args.Length > 0 && args[0] == "realtime-clients") return await HubClientsProcess.RunAsync(args);
if (args.Length > 0 && args[0] == "realtime") return await RealtimeBenchmark.RunAsync(args);
if (args.Length > 0 && args[0] == "import") return await ImportBenchmark.RunAsync(args);
if (args.Length > 0 && args[0] == "publish-probe") return await PublishProbe.RunAsync(LoadOptions.Parse(args));
if (args.Length == 0 || args[0] != "ingest")
{
    Console.Error.WriteLine("usage: Flexoraa.Bench ingest [--messages 20000] [--connections 64] [--rate 0 (flat out) | msg/s] [--contacts 2000]");
    return 2;
}
return await IngestBenchmark.RunAsync(LoadOptions.Parse(args),
    args.Where(a => a.StartsWith("--Orleans:", StringComparison.Ordinal) || a.StartsWith("--Flexoraa:", StringComparison.Ordinal)).ToArray());
