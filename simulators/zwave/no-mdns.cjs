// Preload (`node -r ./no-mdns.cjs`) that keeps the simulator off the real network.
//
// zwave-js's mock-server always advertises `_zwave._tcp` over mDNS through
// @homebridge/ciao and has no flag to turn that off. This stub replaces the library
// before mock-server loads it: no multicast socket is ever opened, and advertising
// fails with a clear message that mock-server logs and otherwise ignores.
// (zwave-server needs no stub: with --disable-dns-sd it never creates a responder.)
"use strict";

const Module = require("node:module");

const DISABLED = "mDNS disabled by no-mdns.cjs";

function createService() {
	return {
		advertise: async () => {
			throw new Error(DISABLED);
		},
		updateTxt: () => undefined,
		end: async () => undefined,
		destroy: async () => undefined,
		on: () => undefined,
		once: () => undefined,
	};
}

const stub = {
	getResponder: () => ({
		createService,
		shutdown: async () => undefined,
	}),
	Protocol: { TCP: "tcp", UDP: "udp" },
	ServiceType: {},
};

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
	if (request === "@homebridge/ciao") return stub;
	return originalLoad.call(this, request, parent, isMain);
};
