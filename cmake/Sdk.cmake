# The SDK: what cmake --install (or scripts/sdk PREFIX) puts under PREFIX
# so that programs can be written and booted outside this tree:
#   bin/chacmsim, bin/chacm-idl
#   include/chacmsim/      l4/, chacm/, mach/ and the C subset's headers
#   lib/chacmsim/          crt0.o, libchacm.a, libchacm_idlrt.a, modules/
#   lib/cmake/Chacmsim/    find_package(Chacmsim): chacm_module(), chacm_idl()
#   lib/pkgconfig/chacmsim.pc
#   share/chacmsim/        default.lst and the ChacmOS interfaces (idl/)
# An installed chacmsim finds its modules and default boot list under PREFIX.

set(_sdk_inc include/chacmsim)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/l4shim/include/ ${CMAKE_SOURCE_DIR}/servers/lib/include/
                  ${CMAKE_SOURCE_DIR}/ipc/runtime/include/
        DESTINATION ${_sdk_inc} FILES_MATCHING PATTERN "*.h")
install(TARGETS chacmsim chacm-idl RUNTIME DESTINATION bin)
install(TARGETS chacm_lib chacm_idlrt ARCHIVE DESTINATION lib/chacmsim)
install(FILES $<TARGET_OBJECTS:chacm_crt0> DESTINATION lib/chacmsim RENAME crt0.o)
install(FILES ${CMAKE_SOURCE_DIR}/boot/default.lst DESTINATION share/chacmsim)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/ipc/idl/ DESTINATION share/chacmsim/idl FILES_MATCHING PATTERN "*.idl")

configure_file(${CMAKE_SOURCE_DIR}/cmake/ChacmsimConfig.cmake.in
               ${CMAKE_BINARY_DIR}/sdk/ChacmsimConfig.cmake @ONLY)
include(CMakePackageConfigHelpers)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/sdk/ChacmsimConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/sdk/ChacmsimConfig.cmake ${CMAKE_BINARY_DIR}/sdk/ChacmsimConfigVersion.cmake
              ${CMAKE_SOURCE_DIR}/cmake/ChacmFreestanding.cmake ${CMAKE_SOURCE_DIR}/cmake/ChacmModule.cmake
              ${CMAKE_SOURCE_DIR}/cmake/ChacmIdl.cmake
        DESTINATION lib/cmake/Chacmsim)
configure_file(${CMAKE_SOURCE_DIR}/cmake/chacmsim.pc.in ${CMAKE_BINARY_DIR}/sdk/chacmsim.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/sdk/chacmsim.pc DESTINATION lib/pkgconfig)
