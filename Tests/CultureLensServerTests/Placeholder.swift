import Testing

@Test func serverModuleBuilds() {}
