using Flexoraa.FrontendApi.Hosting;

return await FlexoraaApp.RunAsync(args);
