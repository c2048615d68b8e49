-- Argo CD health check for mdo.dev/BatchPrediction (resource.customizations.health.mdo.dev_BatchPrediction).
-- Maps the operator's kstatus conditions and phase to Argo CD health:
--   not yet observed by the operator (status missing or observedGeneration behind) -> Progressing
--   phase Suspended                                                                 -> Suspended
--   Stalled=True or phase Failed (a failed run, or one that cannot start)          -> Degraded
--   Ready=True: phase Succeeded (the run is done) or Scheduled (waiting for the next run) -> Healthy
--   anything else (Pending, Running)                                                -> Progressing
local hs = { status = "Progressing", message = "Waiting for the MDO operator" }

local function condition(status, kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local status = obj.status
local generation = obj.metadata and obj.metadata.generation or 0

if status == nil or status.observedGeneration == nil or status.observedGeneration < generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local phase = status.phase or ""
local ready = condition(status, "Ready")
local stalled = condition(status, "Stalled")
local reconciling = condition(status, "Reconciling")

if phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = describe(ready, "Suspended: spec.suspend is true")
elseif (stalled ~= nil and stalled.status == "True") or phase == "Failed" then
  hs.status = "Degraded"
  local failure = status.lastFailure
  if failure ~= nil and failure.reason ~= nil then
    hs.message = failure.reason .. ": " .. (failure.message or "")
  else
    hs.message = describe(stalled, "the run failed")
  end
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, phase)
elseif reconciling ~= nil and reconciling.status == "True" then
  hs.message = (reconciling.reason or "Reconciling") .. ": " .. describe(reconciling, "in progress")
else
  hs.message = describe(ready, "Waiting for the run")
end
return hs
