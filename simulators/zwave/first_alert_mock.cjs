// zwave-js mock-server config: a simulated controller with two First Alert detectors,
// plus a loopback HTTP control server that makes them report alarms.
//
//   node 2  ZCOMBO-G (0x0138:0x0001:0x0003), Notification CC v8, listening, non-secure
//   node 3  legacy ZCOMBO (0x0138:0x0001:0x0002), Notification CC v1 (V1 alarm frames
//           that zwave-js maps through the device file's compat.alarmMapping)
//
// Security S0/S2 and Supervision cannot be simulated by mock-server, so the nodes are
// plain and their reports unsupervised. zwave-js's mock implements only a few command
// classes itself; the behaviors below answer everything else the interview asks
// (Battery, Version, Association, Notification Get/Set) so that it completes without
// timeouts. The routes of the control server are documented in README.md.
"use strict";

const http = require("node:http");

const HOME_ID = 0x7e570001;
const CONTROLLER_NODE_ID = 1;
const ZCOMBO_G_NODE_ID = 2;
const ZCOMBO_NODE_ID = 3;

// Notification types and events (zwave-js notification registry).
const SMOKE = 0x01;
const CO = 0x02;
const SYSTEM = 0x09;
const IDLE = 0x00;
const DETECTED = 0x02;
const SMOKE_TEST = 0x03;
const END_OF_LIFE = 0x05;
const SILENCED = 0x06;
const HARDWARE_FAILURE = 0x01;

// V1 alarm frames of the legacy ZCOMBO (alarmType / alarmLevel).
const V1_SMOKE = 1;
const V1_CO = 2;
const V1_TEST = 12;
const V1_CHECK_IN = 13;
const V1_ON = 0xff;
const V1_OFF = 0x00;

const DEFAULT_BATTERY_LEVEL = 92;
// Simulated radio time per frame (mock default 10 ms). Kept short: tests wait on every hop.
const TX_DELAY_MS = Number(process.env.ZJ_TX_DELAY_MS ?? 1);

module.exports.default = ({ require }) => {
	const cc = require("@zwave-js/cc");
	const { CommandClasses } = require("@zwave-js/core");
	const { createMockZWaveRequestFrame } = require("@zwave-js/testing");

	const ZCOMBO_G_CAPABILITIES = {
		manufacturerId: 0x0138,
		productType: 0x0001,
		productId: 0x0003,
		firmwareVersion: "11.0",
		isListening: true,
		isFrequentListening: false,
		txDelay: TX_DELAY_MS,
		supportsSecurity: false,
		basicDeviceClass: 0x04,
		genericDeviceClass: 0x07,
		specificDeviceClass: 0x01,
		commandClasses: [
			{ ccId: CommandClasses["Z-Wave Plus Info"], version: 2 },
			{ ccId: CommandClasses.Version, version: 3 },
			{ ccId: CommandClasses["Manufacturer Specific"], version: 2 },
			{ ccId: CommandClasses.Association, version: 2 },
			{ ccId: CommandClasses.Battery, version: 1 },
			{
				ccId: CommandClasses.Notification,
				version: 8,
				supportsV1Alarm: false,
				notificationTypesAndEvents: {
					[SMOKE]: [DETECTED, SMOKE_TEST, SILENCED],
					[CO]: [DETECTED, END_OF_LIFE, SILENCED],
					[SYSTEM]: [HARDWARE_FAILURE],
				},
			},
			{
				ccId: CommandClasses.Configuration,
				version: 1,
				parameters: [
					{ "#": 1, valueSize: 2, minValue: 500, maxValue: 5000, defaultValue: 1500 },
					{ "#": 2, valueSize: 2, minValue: 0, maxValue: 5, defaultValue: 1 },
					{ "#": 3, valueSize: 2, minValue: 1, maxValue: 60, defaultValue: 5 },
				],
			},
		],
	};

	const ZCOMBO_CAPABILITIES = {
		manufacturerId: 0x0138,
		productType: 0x0001,
		productId: 0x0002,
		firmwareVersion: "1.0",
		isListening: true,
		isFrequentListening: false,
		txDelay: TX_DELAY_MS,
		supportsSecurity: false,
		basicDeviceClass: 0x04,
		genericDeviceClass: 0x07,
		specificDeviceClass: 0x01,
		commandClasses: [
			{ ccId: CommandClasses.Version, version: 1 },
			{ ccId: CommandClasses["Manufacturer Specific"], version: 1 },
			{ ccId: CommandClasses.Association, version: 1 },
			{ ccId: CommandClasses.Battery, version: 1 },
			{
				ccId: CommandClasses.Notification,
				version: 1,
				supportsV1Alarm: true,
				notificationTypesAndEvents: {},
			},
			{
				ccId: CommandClasses.Configuration,
				version: 1,
				parameters: [{ "#": 1, valueSize: 1, minValue: 0, maxValue: 1, defaultValue: 0 }],
			},
		],
	};

	/** What each simulated detector currently reports; read by Get handlers and /state. */
	function initialState(variant) {
		return {
			variant,
			smoke: IDLE,
			smokeAlarm: IDLE,
			co: IDLE,
			coAlarm: IDLE,
			coMaintenance: IDLE,
			hardware: IDLE,
			battery: { level: DEFAULT_BATTERY_LEVEL, isLow: false },
			lifeline: [],
		};
	}

	const states = new Map([
		[ZCOMBO_G_NODE_ID, initialState("zcombo-g")],
		[ZCOMBO_NODE_ID, initialState("zcombo")],
	]);

	function batteryReport(self) {
		const { battery } = states.get(self.id);
		return battery.isLow
			? new cc.BatteryCCReport({ nodeId: self.id, isLow: true })
			: new cc.BatteryCCReport({ nodeId: self.id, level: battery.level });
	}

	/** The event a Notification Get for this type should report: the first active one. */
	function activeEvent(state, notificationType) {
		const byType = {
			[SMOKE]: [state.smoke, state.smokeAlarm],
			[CO]: [state.co, state.coAlarm, state.coMaintenance],
			[SYSTEM]: [state.hardware],
		};
		return (byType[notificationType] ?? []).find((event) => event !== IDLE) ?? IDLE;
	}

	const behaviors = [
		{
			handleCC(controller, self, received) {
				if (received instanceof cc.VersionCCGet) {
					const [major, minor] = self.capabilities.firmwareVersion.split(".");
					return {
						action: "sendCC",
						cc: new cc.VersionCCReport({
							nodeId: self.id,
							libraryType: 3, // Enhanced Slave
							protocolVersion: "6.7",
							firmwareVersions: [`${major}.${minor}`],
							hardwareVersion: 2,
						}),
					};
				}
				if (received instanceof cc.VersionCCCapabilitiesGet) {
					return {
						action: "sendCC",
						cc: new cc.VersionCCCapabilitiesReport({
							nodeId: self.id,
							supportsZWaveSoftwareGet: false,
						}),
					};
				}
				return undefined;
			},
		},
		{
			handleCC(controller, self, received) {
				if (received instanceof cc.BatteryCCGet) {
					return { action: "sendCC", cc: batteryReport(self) };
				}
				return undefined;
			},
		},
		{
			handleCC(controller, self, received) {
				const state = states.get(self.id);
				if (received instanceof cc.AssociationCCSupportedGroupingsGet) {
					return {
						action: "sendCC",
						cc: new cc.AssociationCCSupportedGroupingsReport({ nodeId: self.id, groupCount: 1 }),
					};
				}
				if (received instanceof cc.AssociationCCGet) {
					return {
						action: "sendCC",
						cc: new cc.AssociationCCReport({
							nodeId: self.id,
							groupId: received.groupId,
							maxNodes: 1,
							nodeIds: received.groupId === 1 ? state.lifeline : [],
							reportsToFollow: 0,
						}),
					};
				}
				if (received instanceof cc.AssociationCCSet) {
					if (received.groupId === 1) state.lifeline = received.nodeIds.slice(0, 1);
					return { action: "stop" };
				}
				if (received instanceof cc.AssociationCCRemove) {
					if (!received.groupId || received.groupId === 1) {
						state.lifeline = received.nodeIds?.length
							? state.lifeline.filter((id) => !received.nodeIds.includes(id))
							: [];
					}
					return { action: "stop" };
				}
				return undefined;
			},
		},
		{
			handleCC(controller, self, received) {
				if (received instanceof cc.NotificationCCSet) {
					return { action: "stop" };
				}
				if (received instanceof cc.NotificationCCGet) {
					const state = states.get(self.id);
					if (received.notificationType === undefined) {
						return {
							action: "sendCC",
							cc: new cc.NotificationCCReport({ nodeId: self.id, alarmType: 0, alarmLevel: 0 }),
						};
					}
					// Status 0xff in every report: the driver then treats the node as "push".
					return {
						action: "sendCC",
						cc: new cc.NotificationCCReport({
							nodeId: self.id,
							notificationType: received.notificationType,
							notificationEvent: activeEvent(state, received.notificationType),
						}),
					};
				}
				return undefined;
			},
		},
	];

	const controller = { homeId: HOME_ID, ownNodeId: CONTROLLER_NODE_ID };
	const nodes = [
		{ id: ZCOMBO_G_NODE_ID, capabilities: ZCOMBO_G_CAPABILITIES, behaviors },
		{ id: ZCOMBO_NODE_ID, capabilities: ZCOMBO_CAPABILITIES, behaviors },
	];

	// ----- Control server -------------------------------------------------------------

	class RouteError extends Error {
		constructor(status, message) {
			super(message);
			this.status = status;
		}
	}

	function intParam(query, name, min, max) {
		const raw = query.get(name);
		const value = raw === null || raw.trim() === "" ? Number.NaN : Number(raw);
		if (!Number.isInteger(value) || value < min || value > max) {
			throw new RouteError(400, `query parameter '${name}' must be an integer ${min}..${max}`);
		}
		return value;
	}

	function notification(type, event, param) {
		return {
			kind: "notification",
			notificationType: type,
			notificationEvent: event,
			...(param === undefined ? {} : { eventParameter: param }),
		};
	}

	function alarm(type, level) {
		return { kind: "alarm", alarmType: type, alarmLevel: level };
	}

	/** Applies one reported frame to the simulated state so Get answers and /state agree. */
	function track(state, frame) {
		if (frame.kind === "alarm") {
			const on = frame.alarmLevel !== V1_OFF;
			if (frame.alarmType === V1_SMOKE && on) state.smoke = DETECTED;
			if (frame.alarmType === V1_TEST && on) state.smokeAlarm = SMOKE_TEST;
			if (frame.alarmType === V1_CO) state.co = on ? DETECTED : IDLE;
			// Smoke off, test end and check-in all map to smoke event 0 without a
			// parameter (compat.alarmMapping), which idles every smoke value.
			const smokeIdle =
				((frame.alarmType === V1_SMOKE || frame.alarmType === V1_TEST) && !on)
				|| frame.alarmType === V1_CHECK_IN;
			if (smokeIdle) {
				state.smoke = IDLE;
				state.smokeAlarm = IDLE;
			}
			return;
		}
		if (frame.kind !== "notification") return;
		const { notificationType: type, notificationEvent: event, eventParameter } = frame;
		const variables = {
			[SMOKE]: { [DETECTED]: "smoke", [SMOKE_TEST]: "smokeAlarm", [SILENCED]: "smokeAlarm" },
			[CO]: { [DETECTED]: "co", [END_OF_LIFE]: "coMaintenance", [SILENCED]: "coAlarm" },
			[SYSTEM]: { [HARDWARE_FAILURE]: "hardware" },
		}[type];
		if (!variables) return;
		if (event !== IDLE) {
			if (variables[event]) state[variables[event]] = event;
		} else if (eventParameter !== undefined) {
			const name = variables[eventParameter];
			if (name && state[name] === eventParameter) state[name] = IDLE;
		} else {
			for (const name of new Set(Object.values(variables))) state[name] = IDLE;
		}
	}

	/** The frames one route sends, per variant; null when the route does not exist. */
	function framesFor(variant, action, query) {
		const legacy = variant === "zcombo";
		const v8Only = (frames) => {
			if (legacy) {
				throw new RouteError(404, `'${action}' is not supported by the legacy ZCOMBO (Notification v1)`);
			}
			return frames;
		};
		switch (action) {
			case "smoke/on":
				return legacy ? [alarm(V1_SMOKE, V1_ON)] : [notification(SMOKE, DETECTED)];
			case "smoke/off":
				return legacy ? [alarm(V1_SMOKE, V1_OFF)] : [notification(SMOKE, IDLE, DETECTED)];
			case "smoke/test":
				return legacy ? [alarm(V1_TEST, V1_ON)] : [notification(SMOKE, SMOKE_TEST)];
			case "smoke/test/end":
				return legacy ? [alarm(V1_TEST, V1_OFF)] : [notification(SMOKE, IDLE, SMOKE_TEST)];
			case "smoke/silence":
				return v8Only([notification(SMOKE, SILENCED)]);
			case "co/on":
				return legacy ? [alarm(V1_CO, V1_ON)] : [notification(CO, DETECTED)];
			case "co/off":
				return legacy ? [alarm(V1_CO, V1_OFF)] : [notification(CO, IDLE, DETECTED)];
			case "co/silence":
				return v8Only([notification(CO, SILENCED)]);
			case "co/eol":
				return v8Only([notification(CO, END_OF_LIFE)]);
			case "hardware/failure":
				return v8Only([notification(SYSTEM, HARDWARE_FAILURE)]);
			case "clear":
				return legacy
					? [alarm(V1_SMOKE, V1_OFF), alarm(V1_CO, V1_OFF)]
					: [notification(SMOKE, IDLE), notification(CO, IDLE), notification(SYSTEM, IDLE)];
			case "checkin":
				return legacy ? [alarm(V1_CHECK_IN, V1_ON)] : null;
			case "notify": {
				const type = intParam(query, "type", 1, 255);
				const event = intParam(query, "event", 0, 255);
				const param = query.has("param") ? intParam(query, "param", 0, 255) : undefined;
				return v8Only([notification(type, event, param)]);
			}
			case "alarm":
				return [alarm(intParam(query, "type", 0, 255), intParam(query, "level", 0, 255))];
			case "battery":
				return [{ kind: "battery", level: intParam(query, "level", 0, 100) }];
			case "battery/low":
				return [{ kind: "battery", isLow: true }];
			default:
				return null;
		}
	}

	function reportFor(node, frame) {
		if (frame.kind === "alarm") {
			return new cc.NotificationCCReport({
				nodeId: node.id,
				alarmType: frame.alarmType,
				alarmLevel: frame.alarmLevel,
			});
		}
		if (frame.kind === "notification") {
			return new cc.NotificationCCReport({
				nodeId: node.id,
				notificationType: frame.notificationType,
				notificationEvent: frame.notificationEvent,
				...(frame.eventParameter === undefined
					? {}
					: { eventParameters: Uint8Array.from([frame.eventParameter]) }),
			});
		}
		const state = states.get(node.id);
		state.battery = frame.isLow
			? { level: 0, isLow: true }
			: { level: frame.level, isLow: false };
		return batteryReport(node);
	}

	function publicState() {
		const out = {};
		for (const [id, state] of states) {
			out[id] = {
				variant: state.variant,
				smoke: state.smoke === DETECTED,
				smokeTest: state.smokeAlarm === SMOKE_TEST,
				smokeSilenced: state.smokeAlarm === SILENCED,
				co: state.co === DETECTED,
				coSilenced: state.coAlarm === SILENCED,
				coEndOfLife: state.coMaintenance === END_OF_LIFE,
				hardwareFailure: state.hardware === HARDWARE_FAILURE,
				battery: state.battery,
				lifeline: state.lifeline,
			};
		}
		return { homeId: HOME_ID, nodes: out };
	}

	async function handle(mockNodes, url) {
		if (url.pathname === "/state") return publicState();
		const match = /^\/node\/(\d+)\/(.+?)\/?$/.exec(url.pathname);
		if (!match) throw new RouteError(404, `unknown route ${url.pathname}`);
		const node = mockNodes.find((candidate) => candidate.id === Number(match[1]));
		if (!node || !states.has(node.id)) throw new RouteError(404, `no simulated node ${match[1]}`);
		const state = states.get(node.id);
		const frames = framesFor(state.variant, match[2], url.searchParams);
		if (!frames) throw new RouteError(404, `unknown route ${url.pathname}`);
		for (const frame of frames) {
			const report = reportFor(node, frame);
			track(state, frame);
			await node.sendToController(createMockZWaveRequestFrame(report, { ackRequested: false }));
		}
		return { ok: true, node: node.id, sent: frames, state: publicState().nodes[node.id] };
	}

	function onInit(mockController, mockNodes) {
		const port = Number(process.env.ZJ_CONTROL_PORT ?? 5580);
		const server = http.createServer((request, response) => {
			const url = new URL(request.url ?? "/", "http://127.0.0.1");
			const reply = (status, body) => {
				response.writeHead(status, { "content-type": "application/json" });
				response.end(`${JSON.stringify(body)}\n`);
			};
			if (request.method !== "GET" && request.method !== "POST") {
				reply(405, { ok: false, error: "use GET or POST" });
				return;
			}
			handle(mockNodes, url).then(
				(body) => reply(200, body),
				(error) => reply(error.status ?? 500, { ok: false, error: error.message }),
			);
		});
		server.on("error", (error) => {
			console.error(`Control server failed: ${error.message}`);
			process.exit(1);
		});
		server.listen(port, "127.0.0.1", () => {
			console.log(`Control server listening on http://127.0.0.1:${server.address().port}`);
		});
		exitWithParent();
	}

	// When the process that started the network dies without stopping it (killed test run),
	// the mock exits too; zwave-server then loses its serial port and exits as well.
	function exitWithParent() {
		const parent = Number(process.env.ZJ_PARENT_PID);
		if (!parent) return;
		setInterval(() => {
			if (process.ppid !== parent) {
				console.error(`Parent process ${parent} is gone; exiting`);
				process.exit(0);
			}
		}, 1000).unref();
	}

	return { controller, nodes, onInit };
};
