-- wrk script: GET each path of paths.txt in turn (the same list for every server compared).
local paths = {}
for line in io.lines(os.getenv("REKAP_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
