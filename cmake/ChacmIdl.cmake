# chacm_idl(TARGET file.idl... [CLIENT_ONLY] [NO_RUNTIME] [INCLUDE_DIRS dir...])
#
# Compiles each IDL file with chacm-idl at build time into
# ${CMAKE_CURRENT_BINARY_DIR}/idl/<name>_{client.h,server.h,server.c}, adds that
# directory to TARGET's include path, the dispatch sources (unless
# CLIENT_ONLY) to its sources, and links the stub runtime (unless NO_RUNTIME:
# host-side tests compile ipc/runtime themselves).  The outputs are
# rebuilt when the IDL file, anything it #includes or a C header it imports
# changes (depfile).
# CHACM_IDL_DIR (the ChacmOS interfaces: ipc/idl in the tree, share/chacmsim/idl
# in the SDK) is always on the IDL include path.

function(chacm_idl target)
  cmake_parse_arguments(I "CLIENT_ONLY;NO_RUNTIME" "" "INCLUDE_DIRS" ${ARGN})
  set(outdir ${CMAKE_CURRENT_BINARY_DIR}/idl)
  file(MAKE_DIRECTORY ${outdir})
  set(incs -I ${CHACM_IDL_DIR})
  foreach(dir IN LISTS I_INCLUDE_DIRS)
    get_filename_component(dir ${dir} ABSOLUTE)
    list(APPEND incs -I ${dir})
  endforeach()
  foreach(idl IN LISTS I_UNPARSED_ARGUMENTS)
    get_filename_component(abs ${idl} ABSOLUTE)
    get_filename_component(base ${idl} NAME_WE)
    set(client ${outdir}/${base}_client.h)
    set(outs ${client} ${outdir}/${base}_server.h ${outdir}/${base}_server.c)
    add_custom_command(OUTPUT ${outs}
      COMMAND chacm-idl -o ${outdir} --cpp "${CMAKE_C_COMPILER} -E"
              --depfile ${outdir}/${base}.d --dep-target ${client} ${incs} ${abs}
      DEPENDS ${abs} chacm-idl
      DEPFILE ${outdir}/${base}.d
      COMMENT "chacm-idl ${idl}"
      VERBATIM)
    if(I_CLIENT_ONLY)
      target_sources(${target} PRIVATE ${client})
    else()
      target_sources(${target} PRIVATE ${outs})
    endif()
  endforeach()
  target_include_directories(${target} PRIVATE ${outdir})
  if(NOT I_NO_RUNTIME)
    target_link_libraries(${target} PRIVATE chacm_idlrt)
  endif()
endfunction()
